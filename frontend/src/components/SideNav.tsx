import DocumentDuplicateIcon from "@heroicons/react/24/outline/DocumentDuplicateIcon";
import HomeIcon from "@heroicons/react/24/outline/HomeIcon";
import KeyIcon from "@heroicons/react/24/outline/KeyIcon";
import PowerIcon from "@heroicons/react/24/outline/PowerIcon";
import UserGroupIcon from "@heroicons/react/24/outline/UserGroupIcon";
import { Link, NavLink } from "../lib/routing";
import AcmeLogo from "./AcmeLogo";

const links = [
  { name: "Home", href: "/dashboard", icon: HomeIcon, end: true },
  { name: "Invoices", href: "/dashboard/invoices", icon: DocumentDuplicateIcon, end: false },
  { name: "Customers", href: "/dashboard/customers", icon: UserGroupIcon, end: false },
  { name: "API keys", href: "/dashboard/settings/api-keys", icon: KeyIcon, end: false },
];

const itemClass =
  "flex h-[48px] grow items-center justify-center gap-2 rounded-md p-3 text-sm font-medium hover:bg-sky-100 hover:text-blue-700 md:flex-none md:justify-start md:p-2 md:px-3";

export default function SideNav({ onSignOut, signingOut }: { onSignOut: () => void; signingOut: boolean }) {
  return (
    <div className="flex h-full flex-col px-3 py-4 md:px-2">
      <Link className="mb-2 flex h-20 items-end justify-start rounded-md bg-blue-600 p-4 md:h-40" to="/" aria-label="Acme home">
        <div className="w-32 text-white md:w-40">
          <AcmeLogo />
        </div>
      </Link>
      <nav aria-label="Main" className="flex grow flex-row justify-between space-x-2 md:flex-col md:space-x-0 md:space-y-2">
        {links.map((link) => (
          <NavLink
            key={link.name}
            to={link.href}
            end={link.end}
            className={({ isActive }) => `${itemClass} ${isActive ? "bg-blue-100 text-blue-700" : "bg-gray-50"}`}
          >
            <link.icon className="w-6" aria-hidden="true" />
            <span className="sr-only md:not-sr-only">{link.name}</span>
          </NavLink>
        ))}
        <div className="hidden h-auto w-full grow rounded-md bg-gray-50 md:block" />
        <button type="button" className={`${itemClass} w-full bg-gray-50`} onClick={onSignOut} disabled={signingOut}>
          <PowerIcon className="w-6" aria-hidden="true" />
          <span className="sr-only md:not-sr-only">Sign Out</span>
        </button>
      </nav>
    </div>
  );
}
