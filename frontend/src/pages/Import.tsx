import CheckCircleIcon from "@heroicons/react/24/outline/CheckCircleIcon";
import ExclamationTriangleIcon from "@heroicons/react/24/outline/ExclamationTriangleIcon";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "../lib/routing";
import { ApiError } from "../api/client";
import type { components } from "../api/schema";
import Breadcrumbs from "../components/Breadcrumbs";
import { Button } from "../components/Button";
import { formatNumber } from "../lib/format";
import { sendFile } from "../lib/upload";
import Title from "../components/Title";

type Report = components["schemas"]["ImportReport"];
type Kind = "customers" | "invoices";

const MAX_BYTES = 5 * 1024 * 1024;
const SHOWN_ERRORS = 20;
const COLUMNS: Record<Kind, string> = {
  customers: "name, email (invoice_count, total_pending and total_paid are read and ignored)",
  invoices: "date (YYYY-MM-DD), customer_email, amount (dollars, like 1234.50), status (pending or paid)",
};

export default function Import() {
  const [searchParams] = useSearchParams();
  const [kind, setKind] = useState<Kind>(searchParams.get("kind") === "invoices" ? "invoices" : "customers");
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<Report | null>(null);
  const [done, setDone] = useState<Report | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);

  function reset() {
    setChecked(null);
    setDone(null);
    setMessage("");
  }

  async function send(dryRun: boolean): Promise<Report | null> {
    if (!file) {
      setMessage("Please choose a CSV file.");
      return null;
    }
    if (file.size > MAX_BYTES) {
      setMessage(`The file is larger than 5 MB. Import it from the command line instead: make import ARGS='${kind} FILE'.`);
      return null;
    }
    setBusy(true);
    setMessage("");
    try {
      const { body } = await sendFile<Report>("POST", `/api/imports/${kind}${dryRun ? "?dryRun=true" : ""}`, file, "text/csv");
      return body;
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(0, "Something went wrong.");
      if (apiError.status !== 401) setMessage(apiError.message);
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reset();
    setChecked(await send(true));
  }

  async function confirm() {
    const report = await send(false);
    if (report && report.errorCount > 0) setChecked(report);
    else setDone(report);
  }

  return (
    <main className="w-full">
      <Title>{`Import ${kind} · Acme`}</Title>
      <Breadcrumbs
        breadcrumbs={[
          { label: kind === "customers" ? "Customers" : "Invoices", href: `/dashboard/${kind}` },
          { label: "Import CSV", href: "/dashboard/import", active: true },
        ]}
      />
      <form onSubmit={check} aria-label="Import a CSV file" className="rounded-md bg-gray-50 p-4 md:p-6">
        <fieldset className="mb-4">
          <legend className="mb-2 text-sm font-medium">What the file holds</legend>
          <div className="flex gap-6 text-sm">
            {(["customers", "invoices"] as const).map((option) => (
              <label key={option} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="kind"
                  value={option}
                  checked={kind === option}
                  onChange={() => {
                    setKind(option);
                    reset();
                  }}
                />
                {option === "customers" ? "Customers" : "Invoices"}
              </label>
            ))}
          </div>
          <p className="mt-2 text-xs text-gray-600">Columns: {COLUMNS[kind]}. The first line names them, as in an export.</p>
        </fieldset>
        <label htmlFor="file" className="mb-2 block text-sm font-medium">
          CSV file (UTF-8, at most 5 MB)
        </label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            reset();
          }}
          className="block w-full min-w-0 text-sm file:mr-4 file:rounded-md file:border-0 file:bg-blue-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-blue-700 hover:file:bg-blue-100"
        />
        <div aria-live="polite">{message ? <p className="mt-3 text-sm text-red-600" role="alert">{message}</p> : null}</div>
        <div className="mt-6 flex justify-end">
          <Button type="submit" disabled={busy || !file} aria-disabled={busy || !file}>
            Check file
          </Button>
        </div>
      </form>

      <div aria-live="polite">
        {checked && !done ? <DryRun report={checked} kind={kind} busy={busy} onConfirm={confirm} /> : null}
        {done ? (
          <div className="mt-6 flex items-center gap-3 rounded-md bg-green-50 p-4 text-sm text-green-800" role="status" data-testid="import-done">
            <CheckCircleIcon className="h-6 shrink-0" aria-hidden="true" />
            <p>
              {done.detail} <Link to={`/dashboard/${kind}`} className="font-medium underline">See the {kind}</Link>
            </p>
          </div>
        ) : null}
      </div>
    </main>
  );
}

function DryRun({ report, kind, busy, onConfirm }: { report: Report; kind: Kind; busy: boolean; onConfirm: () => void }) {
  const noun = report.rows === 1 ? kind.slice(0, -1) : kind;
  if (report.errorCount === 0) {
    return (
      <div className="mt-6 rounded-md border border-gray-200 p-4 text-sm" data-testid="dry-run">
        <p className="flex items-center gap-2">
          <CheckCircleIcon className="h-5 shrink-0 text-green-600" aria-hidden="true" />
          Every row is fine: {formatNumber(report.rows)} {noun} ready to import.
        </p>
        <div className="mt-4 flex justify-end">
          <Button type="button" onClick={onConfirm} disabled={busy} aria-disabled={busy}>
            Import {formatNumber(report.rows)} {noun}
          </Button>
        </div>
      </div>
    );
  }
  const failing = new Set(report.errors.map((e) => e.line)).size;
  return (
    <div className="mt-6 rounded-md border border-red-200 bg-red-50 p-4 text-sm" data-testid="dry-run">
      <p className="flex items-center gap-2 font-medium text-red-700">
        <ExclamationTriangleIcon className="h-5 shrink-0" aria-hidden="true" />
        {formatNumber(report.rows)} rows read; {formatNumber(report.errorCount)} {report.errorCount === 1 ? "problem" : "problems"} on{" "}
        {formatNumber(failing)} {failing === 1 ? "line" : "lines"}. Nothing was imported: fix the file and check it again.
      </p>
      <table className="mt-3 w-full bg-white" aria-label="Rows with errors">
        <thead>
          <tr className="text-left">
            <th scope="col" className="px-3 py-2 font-medium">Line</th>
            <th scope="col" className="px-3 py-2 font-medium">Column</th>
            <th scope="col" className="px-3 py-2 font-medium">What to fix</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-200">
          {report.errors.slice(0, SHOWN_ERRORS).map((error, index) => (
            <tr key={`${error.line}-${error.column}-${index}`}>
              <td className="px-3 py-2">{error.line}</td>
              <td className="px-3 py-2 font-mono text-xs">{error.column || "—"}</td>
              <td className="px-3 py-2">{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.errorCount > SHOWN_ERRORS ? <p className="mt-2 text-gray-600">…and {formatNumber(report.errorCount - SHOWN_ERRORS)} more.</p> : null}
    </div>
  );
}
