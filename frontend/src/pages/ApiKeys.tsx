import ClipboardDocumentIcon from "@heroicons/react/24/outline/ClipboardDocumentIcon";
import KeyIcon from "@heroicons/react/24/outline/KeyIcon";
import { useRef, useState, type FormEvent } from "react";
import { ApiError, api, call } from "../api/client";
import type { components } from "../api/schema";
import Breadcrumbs from "../components/Breadcrumbs";
import { Button } from "../components/Button";
import { formatDate } from "../lib/format";
import { formatDateTime } from "../lib/history";
import { useQuery } from "../lib/hooks";
import Title from "../components/Title";

type ApiKey = components["schemas"]["ApiKeyOut"];
type Scope = "read" | "write";
type Field = "name" | "scope" | "expiresAt";

const EXPIRY_CHOICES: { label: string; days: number | null }[] = [
  { label: "Never", days: null },
  { label: "In 7 days", days: 7 },
  { label: "In 30 days", days: 30 },
  { label: "In 90 days", days: 90 },
  { label: "In 1 year", days: 365 },
];

function expiryFrom(days: number | null): string | null {
  return days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString();
}

/** /dashboard/settings/api-keys: make keys for scripts, see when they were used, revoke them. */
export default function ApiKeys() {
  const { data, error, reload } = useQuery({ key: "api-keys", load: (signal) => call(api.GET("/api/keys", { signal })).then((r) => r.data) });
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  if (error) throw error;

  return (
    <main className="w-full">
      <Title>API keys · Acme</Title>
      <Breadcrumbs
        breadcrumbs={[
          { label: "Settings", href: "/dashboard/settings/api-keys" },
          { label: "API keys", href: "/dashboard/settings/api-keys", active: true },
        ]}
      />
      <p className="mb-6 max-w-2xl text-sm text-gray-600">
        A key lets a script or another service use the API without your password: send it as{" "}
        <code className="rounded bg-gray-100 px-1">Authorization: Bearer acme_…</code>. A <strong>read</strong> key may only read; a{" "}
        <strong>write</strong> key may do everything you can except manage keys and your password. Changes made with a key are recorded
        under its name.
      </p>
      <CreateKeyForm
        onCreated={(name, secret) => {
          setCreated({ name, secret });
          reload();
        }}
      />
      {created ? <NewSecret name={created.name} secret={created.secret} onDone={() => setCreated(null)} /> : null}
      <section aria-labelledby="keys-heading" className="mt-8">
        <h2 id="keys-heading" className="mb-4 font-serif text-lg md:text-xl">
          Your keys
        </h2>
        {!data ? (
          <div className="h-24 rounded-md bg-gray-50" aria-busy="true" aria-label="Loading keys" />
        ) : data.length === 0 ? (
          <p className="rounded-md bg-gray-50 p-6 text-center text-sm text-gray-500">No API keys yet.</p>
        ) : (
          <ul className="space-y-2" aria-label="API keys">
            {data.map((key) => (
              <KeyRow key={key.id} apiKey={key} onRevoked={reload} />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (name: string, secret: string) => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<Scope>("read");
  const [expiry, setExpiry] = useState(0);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [message, setMessage] = useState("");
  const [saving, setSaving] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ name: "Please enter a name for the key (1 to 100 characters)." });
      nameRef.current?.focus();
      return;
    }
    setErrors({});
    setMessage("");
    setSaving(true);
    try {
      const choice = EXPIRY_CHOICES[expiry] ?? EXPIRY_CHOICES[0];
      const { data } = await call(api.POST("/api/keys", { body: { name: name.trim(), scope, expiresAt: expiryFrom(choice?.days ?? null) } }));
      setName("");
      onCreated(data.key.name, data.secret);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(0, "Something went wrong.");
      const found: Partial<Record<Field, string>> = {};
      for (const e of apiError.errors) {
        if (e.field === "name" || e.field === "scope" || e.field === "expiresAt") found[e.field] = e.message;
      }
      setErrors(found);
      setMessage(apiError.errors.length ? "" : apiError.message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Create an API key" className="rounded-md bg-gray-50 p-4 md:p-6">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        <div>
          <label htmlFor="key-name" className="mb-2 block text-sm font-medium">
            Name
          </label>
          <input
            ref={nameRef}
            id="key-name"
            name="name"
            maxLength={100}
            autoComplete="off"
            placeholder="e.g. nightly export"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby="key-name-error"
            className={`block w-full rounded-md border bg-white px-3 py-2 text-sm ${errors.name ? "border-red-500" : "border-gray-200"}`}
          />
          <p id="key-name-error" className="mt-2 text-sm text-red-600" aria-live="polite">
            {errors.name ?? ""}
          </p>
        </div>
        <fieldset>
          <legend className="mb-2 block text-sm font-medium">Scope</legend>
          <div className="flex gap-4 rounded-md border border-gray-200 bg-white px-3 py-2 text-sm">
            {(["read", "write"] as const).map((value) => (
              <label key={value} className="flex cursor-pointer items-center gap-2 whitespace-nowrap">
                <input type="radio" name="scope" value={value} checked={scope === value} onChange={() => setScope(value)} />
                {value === "read" ? "Read (GET only)" : "Write"}
              </label>
            ))}
          </div>
          <p className="mt-2 text-sm text-red-600" aria-live="polite">
            {errors.scope ?? ""}
          </p>
        </fieldset>
        <div>
          <label htmlFor="key-expiry" className="mb-2 block text-sm font-medium">
            Expires
          </label>
          <select
            id="key-expiry"
            value={expiry}
            onChange={(e) => setExpiry(Number(e.target.value))}
            className="block w-full rounded-md border border-gray-200 bg-white px-3 py-2 text-sm"
          >
            {EXPIRY_CHOICES.map((choice, index) => (
              <option key={choice.label} value={index}>
                {choice.label}
              </option>
            ))}
          </select>
          <p className="mt-2 text-sm text-red-600" aria-live="polite">
            {errors.expiresAt ?? ""}
          </p>
        </div>
      </div>
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-red-600" role="alert">
          {message}
        </p>
        <Button type="submit" disabled={saving} aria-disabled={saving}>
          <KeyIcon className="mr-2 w-4" aria-hidden="true" /> Create key
        </Button>
      </div>
    </form>
  );
}

function NewSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section role="status" aria-label="New API key" className="mt-4 rounded-md border border-green-300 bg-green-50 p-4" data-testid="new-secret">
      <p className="text-sm font-medium">Key “{name}” created. Copy its secret now: it is shown only this once.</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <input
          readOnly
          aria-label="Secret"
          value={secret}
          onFocus={(e) => e.target.select()}
          className="w-full min-w-0 rounded-md border border-gray-200 bg-white px-3 py-2 font-mono text-sm sm:w-auto sm:flex-1"
        />
        <button
          type="button"
          className="flex h-10 items-center gap-1 rounded-lg bg-gray-100 px-3 text-sm hover:bg-gray-200"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          <ClipboardDocumentIcon className="w-4" aria-hidden="true" /> {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="h-10 rounded-lg px-3 text-sm text-gray-600 hover:bg-gray-100" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function KeyRow({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState("");

  async function revoke() {
    try {
      await call(api.DELETE("/api/keys/{key_id}", { params: { path: { key_id: apiKey.id } } }));
      onRevoked();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) onRevoked();
      else setMessage("The key could not be revoked. Try again.");
    }
  }

  return (
    <li
      className="grid gap-x-6 gap-y-2 rounded-md bg-gray-50 px-4 py-3 text-sm sm:grid-cols-[minmax(0,1fr)_auto] sm:items-center"
      data-testid="api-key"
    >
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span className="font-medium [overflow-wrap:anywhere]">{apiKey.name}</span>
          <span className={`rounded-full px-2 py-0.5 text-xs ${apiKey.scope === "write" ? "bg-amber-100 text-amber-800" : "bg-sky-100 text-sky-800"}`}>
            {apiKey.scope}
          </span>
        </p>
        {/* One line of facts, each kept whole: the hint, when it was made, used and when it ends. */}
        <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-gray-600">
          <span className="font-mono text-xs leading-5 text-gray-500">acme_…{apiKey.hint}</span>
          <span className="whitespace-nowrap">Created {formatDate(apiKey.createdAt)}</span>
          <span className="whitespace-nowrap">{apiKey.lastUsedAt ? `Last used ${formatDateTime(apiKey.lastUsedAt)}` : "Never used"}</span>
          <span className={`whitespace-nowrap ${apiKey.expired ? "font-medium text-red-600" : ""}`}>
            {apiKey.expired ? "Expired" : apiKey.expiresAt ? `Expires ${formatDate(apiKey.expiresAt)}` : "Never expires"}
          </span>
        </p>
      </div>
      <div className="flex flex-wrap items-center justify-end gap-2">
        {message ? <span className="text-red-600">{message}</span> : null}
        {confirming ? (
          <>
            <button type="button" className="rounded-lg bg-red-600 px-3 py-1.5 text-white hover:bg-[#ea0611]" onClick={() => void revoke()}>
              Revoke “{apiKey.name}”
            </button>
            <button type="button" className="rounded-lg px-3 py-1.5 hover:bg-gray-200" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="rounded-lg border border-gray-200 bg-white px-3 py-1.5 hover:bg-gray-100" onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
      </div>
    </li>
  );
}
