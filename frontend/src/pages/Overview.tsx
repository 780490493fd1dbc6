import { ArrowPathIcon, BanknotesIcon, CalendarIcon, ClockIcon, InboxIcon, UserGroupIcon } from "@heroicons/react/24/outline";
import type { ComponentType, SVGProps } from "react";
import { api, call, type Dashboard } from "../api/client";
import AgingPanel from "../components/AgingPanel";
import Avatar from "../components/Avatar";
import { generateYAxis } from "../lib/chart";
import { formatCurrency, formatNumber } from "../lib/format";
import { useQuery } from "../lib/hooks";

const CHART_HEIGHT = 350;

export default function Overview() {
  const { data, error } = useQuery("dashboard", (signal) =>
    call(api.GET("/api/dashboard", { signal })).then((r) => r.data),
  );
  if (error) throw error;

  return (
    <main>
      <h1 className="mb-4 font-serif text-xl md:text-2xl">Dashboard</h1>
      <div className="grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
        <Card title="Collected" icon={BanknotesIcon} value={data && formatCurrency(data.cards.collected)} />
        <Card title="Pending" icon={ClockIcon} value={data && formatCurrency(data.cards.pending)} />
        <Card title="Total Invoices" icon={InboxIcon} value={data && formatNumber(data.cards.invoiceCount)} />
        <Card title="Total Customers" icon={UserGroupIcon} value={data && formatNumber(data.cards.customerCount)} />
      </div>
      <AgingPanel data={data} />
      <div className="mt-6 grid grid-cols-1 gap-6 md:grid-cols-4 lg:grid-cols-8">
        <RevenueChart revenue={data?.revenue} />
        <LatestInvoices invoices={data?.latestInvoices} />
      </div>
    </main>
  );
}

/** Figures keep one line in the card however large the totals grow. */
function figureSize(value: string): string {
  if (value.length <= 12) return "text-2xl";
  if (value.length <= 16) return "text-xl";
  if (value.length <= 20) return "text-lg";
  return "text-base";
}

function Card({
  title,
  value,
  icon: Icon,
}: {
  title: string;
  value: string | undefined;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
}) {
  const id = `card-${title.toLowerCase().replace(/\s+/g, "-")}`;
  return (
    <section className="rounded-xl bg-gray-50 p-2 shadow-sm" aria-labelledby={id} aria-busy={value === undefined}>
      <div className="flex p-4">
        <Icon className="h-5 w-5 text-gray-700" aria-hidden="true" />
        <h3 id={id} className="ml-2 text-sm font-medium">
          {title}
        </h3>
      </div>
      {value === undefined ? (
        <div className="flex h-[96px] items-center justify-center rounded-xl bg-white px-4 py-8">
          <div className="shimmer h-7 w-24 rounded-md bg-gray-100" />
        </div>
      ) : (
        <p
          className={`flex h-[96px] items-center justify-center truncate rounded-xl bg-white px-4 text-center font-serif leading-8 ${figureSize(value)}`}
          title={value}
          data-testid="card-value"
        >
          {value}
        </p>
      )}
    </section>
  );
}

function RevenueChart({ revenue }: { revenue: Dashboard["revenue"] | undefined }) {
  return (
    <section className="w-full md:col-span-4" aria-labelledby="revenue-title">
      <h2 id="revenue-title" className="mb-4 font-serif text-xl md:text-2xl">
        Recent Revenue
      </h2>
      <div className="rounded-xl bg-gray-50 p-4">
        {revenue === undefined ? (
          <div className="shimmer h-[410px] rounded-md bg-white" aria-busy="true" />
        ) : revenue.length === 0 ? (
          <div className="flex h-[410px] items-center justify-center rounded-md bg-white">
            <p className="text-gray-400">No data available.</p>
          </div>
        ) : (
          <Bars revenue={revenue} />
        )}
        <div className="flex items-center pb-2 pt-6">
          <CalendarIcon className="h-5 w-5 text-gray-500" aria-hidden="true" />
          <h3 className="ml-2 text-sm text-gray-500">Last 12 months</h3>
        </div>
      </div>
    </section>
  );
}

function Bars({ revenue }: { revenue: Dashboard["revenue"] }) {
  const { labels, top } = generateYAxis(revenue.map((m) => m.revenue));
  return (
    <div
      className="grid h-[410px] grid-cols-12 items-end gap-2 rounded-md bg-white p-4 sm:grid-cols-13 md:gap-4"
      role="img"
      aria-label={`Revenue per month: ${revenue.map((m) => `${m.label} $${m.revenue}`).join(", ")}`}
    >
      <div className="mb-6 hidden h-[350px] flex-col justify-between text-sm text-gray-400 sm:flex" data-testid="y-axis">
        {labels.map((label) => (
          <p key={label}>{label}</p>
        ))}
      </div>
      {revenue.map((month) => (
        <div key={month.month} className="flex flex-col items-center gap-2">
          <div
            className="w-full rounded-md bg-blue-300"
            data-testid="revenue-bar"
            title={`${month.label}: $${month.revenue.toLocaleString("en-US")}`}
            style={{ height: `${Math.round((CHART_HEIGHT / top) * month.revenue)}px` }}
          />
          <p className="h-5 -rotate-90 text-sm text-gray-400 sm:rotate-0">{month.label}</p>
        </div>
      ))}
    </div>
  );
}

function LatestInvoices({ invoices }: { invoices: Dashboard["latestInvoices"] | undefined }) {
  return (
    <section className="flex w-full flex-col md:col-span-4" aria-labelledby="latest-title">
      <h2 id="latest-title" className="mb-4 font-serif text-xl md:text-2xl">
        Latest Invoices
      </h2>
      <div className="flex grow flex-col justify-between rounded-xl bg-gray-50 p-4">
        <div className="bg-white px-6">
          {invoices === undefined
            ? Array.from({ length: 5 }, (_, i) => (
                <div key={i} className={`flex h-[73px] flex-row items-center justify-between py-4 ${i ? "border-t border-gray-200" : ""}`}>
                  <div className="flex items-center">
                    <div className="mr-4 h-8 w-8 rounded-full bg-gray-100" />
                    <div className="min-w-0">
                      <div className="h-5 w-40 rounded-md bg-gray-100" />
                      <div className="mt-2 hidden h-4 w-12 rounded-md bg-gray-100 sm:block" />
                    </div>
                  </div>
                  <div className="h-4 w-12 rounded-md bg-gray-100" />
                </div>
              ))
            : invoices.length === 0
              ? <p className="py-8 text-center text-sm text-gray-400">No invoices yet.</p>
              : invoices.map((invoice, i) => (
                  <div
                    key={invoice.id}
                    data-testid="latest-invoice"
                    className={`flex h-[73px] flex-row items-center justify-between py-4 ${i ? "border-t border-gray-200" : ""}`}
                  >
                    <div className="flex min-w-0 items-center">
                      <Avatar name={invoice.customerName} imageUrl={invoice.customerImageUrl} size={32} className="mr-4" />
                      <div className="min-w-0">
                        <p className="truncate text-sm font-semibold md:text-base">{invoice.customerName}</p>
                        <p className="hidden truncate text-sm text-gray-500 sm:block">{invoice.customerEmail}</p>
                      </div>
                    </div>
                    <p className="ml-2 truncate font-serif text-sm font-medium md:text-base">{formatCurrency(invoice.amount)}</p>
                  </div>
                ))}
        </div>
        <div className="flex items-center pb-2 pt-6">
          <ArrowPathIcon className="h-5 w-5 text-gray-500" aria-hidden="true" />
          <h3 className="ml-2 text-sm text-gray-500">Updated just now</h3>
        </div>
      </div>
    </section>
  );
}
