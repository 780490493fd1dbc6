import FaceFrownIcon from "@heroicons/react/24/outline/FaceFrownIcon";
import { Link } from "../lib/routing";
import Title from "./Title";

/** "404 Not Found" for an address that names nothing: what was asked for, and a way back. */
export default function NotFoundScreen({ what, to, label = "Go Back", fullPage = false }: {
  what: "page" | "invoice" | "customer";
  to: string;
  label?: string;
  fullPage?: boolean;
}) {
  return (
    <main className={`flex flex-col items-center justify-center gap-2 ${fullPage ? "min-h-screen" : "h-full min-h-[50vh]"}`}>
      <Title>{`${what[0]?.toUpperCase()}${what.slice(1)} not found · Acme`}</Title>
      <FaceFrownIcon className="w-10 text-gray-400" aria-hidden="true" />
      <h1 className="font-serif text-xl font-semibold">404 Not Found</h1>
      <p>Could not find the requested {what}.</p>
      <Link to={to} className="mt-4 rounded-md bg-blue-600 px-4 py-2 text-sm text-white transition-colors hover:bg-[#1e6afc]">
        {label}
      </Link>
    </main>
  );
}

/** An invoice or a customer address that names none (deleted, mistyped): their pages say so. */
export const InvoiceNotFound = () => <NotFoundScreen what="invoice" to="/dashboard/invoices" />;
export const CustomerNotFound = () => <NotFoundScreen what="customer" to="/dashboard/customers" />;
