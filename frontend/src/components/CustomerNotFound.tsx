import FaceFrownIcon from "@heroicons/react/24/outline/FaceFrownIcon";
import { Link } from "../lib/routing";
import Title from "./Title";

/** A customer address that names no customer (deleted, mistyped): the customer's pages say so. */
export default function CustomerNotFound() {
  return (
    <main className="flex h-full min-h-[50vh] flex-col items-center justify-center gap-2">
      <Title>Customer not found · Acme</Title>
      <FaceFrownIcon className="w-10 text-gray-400" aria-hidden="true" />
      <h1 className="font-serif text-xl font-semibold">404 Not Found</h1>
      <p>Could not find the requested customer.</p>
      <Link to="/dashboard/customers" className="mt-4 rounded-md bg-blue-600 px-4 py-2 text-sm text-white transition-colors hover:bg-[#1e6afc]">
        Go Back
      </Link>
    </main>
  );
}
