import ArrowRightIcon from "@heroicons/react/24/outline/ArrowRightIcon";
import { Link } from "../lib/routing";
import AcmeLogo from "../components/AcmeLogo";
import Title from "../components/Title";

export default function Landing() {
  return (
    <main className="flex min-h-screen flex-col p-6">
      <Title>Acme · Invoicing dashboard</Title>
      <div className="flex h-20 shrink-0 items-end rounded-lg bg-blue-500 p-4 md:h-52">
        <div className="w-32 text-white md:w-36">
          <AcmeLogo />
        </div>
      </div>
      <div className="mt-4 flex grow flex-col gap-4 md:flex-row">
        <div className="flex flex-col justify-center gap-6 rounded-lg bg-gray-50 px-6 py-10 md:w-2/5 md:px-20">
          <h1 className="font-serif text-xl font-normal text-gray-800 md:text-3xl md:leading-normal">
            <strong>Welcome to Acme.</strong> Send invoices, follow up on payments and see your revenue at a glance.
          </h1>
          <Link
            to="/login"
            className="flex items-center gap-5 self-start rounded-lg bg-blue-600 px-6 py-3 text-sm font-medium text-white transition-colors hover:bg-[#1e6afc] md:text-base"
          >
            <span>Log in</span> <ArrowRightIcon className="w-5 md:w-6" aria-hidden="true" />
          </Link>
        </div>
        <div className="flex items-center justify-center p-6 md:w-3/5 md:px-28 md:py-12">
          <img
            src="/hero-desktop.svg"
            width={1000}
            height={760}
            className="hidden h-auto w-full md:block"
            alt="Screenshots of the dashboard project showing desktop version"
          />
          <img
            src="/hero-mobile.svg"
            width={560}
            height={620}
            className="block h-auto w-full max-w-[560px] md:hidden"
            alt="Screenshot of the dashboard project showing mobile version"
          />
        </div>
      </div>
    </main>
  );
}
