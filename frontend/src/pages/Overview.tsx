import ArrowPathIcon from "@heroicons/react/24/outline/ArrowPathIcon";
import BanknotesIcon from "@heroicons/react/24/outline/BanknotesIcon";
import CalendarIcon from "@heroicons/react/24/outline/CalendarIcon";
import ClockIcon from "@heroicons/react/24/outline/ClockIcon";
import InboxIcon from "@heroicons/react/24/outline/InboxIcon";
import UserGroupIcon from "@heroicons/react/24/outline/UserGroupIcon";
import type { ComponentType, SVGProps } from "react";
import type { Dashboard } from "../api/client";
import AgingPanel from "../components/AgingPanel";
import Avatar from "../components/Avatar";
import { generateYAxis } from "../lib/chart";
import { formatCurrency, formatNumber } from "../lib/format";
import { useQuery } from "../lib/hooks";
import { dashboardQuery } from "../lib/queries";
import Title from "../components/Title";

const CHART_HEIGHT = 350;

export default function Overview() {
  const { data, error } = useQuery(dashboardQuery());
  if (error) throw error;

  return (
    <main>
      <Title>Dashboard · Acme</Title>
      <h1 className="mb-4 font-serif text-xl md:text-2xl">Dashboard</h1>
      <div className="grid gap-6 sm:grid-cols-2 xl:grid-cols-4">
        <Card title="Collected" icon={BanknotesIcon} value={data && formatCurrency(data.cards.collected)} />
        <Card title="Pending" icon={ClockIcon} value={data && formatCurrency(data.cards.pending)} />
        <Card title="Total Invoices" icon={InboxIcon} value={data && formatNumber(data.cards.invoiceCount)} />
        <Card title="Total Customers" icon={UserGroupIcon} value={data && formatNumber(data.cards.customerCount)} />
      </div>
      <AgingPanel data={data} />
      <div className="mt-6 grid grid-cols-1 gap-6 xl:grid-cols-8">
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
    <section className="flex flex-col rounded-xl bg-gray-50 p-2 shadow-sm" aria-labelledby={id} aria-busy={value === undefined}>
      <div className="flex grow items-start p-4">
        <Icon className="h-5 w-5 shrink-0 text-gray-700" aria-hidden="true" />
        <h2 id={id} className="ml-2 text-sm font-medium">
          {title}
        </h2>
      </div>
      {value === undefined ? (
        <div className="flex h-[96px] items-center justify-center rounded-xl bg-white px-4 py-8">
          <div className="shimmer h-7 w-24 rounded-md bg-gray-100" />
        </div>
      ) : (
        <p
          className={`flex h-[96px] items-center justify-center whitespace-nowrap rounded-xl bg-white px-2 text-center font-serif leading-8 ${figureSize(value)}`}
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
    <section className="w-full min-w-0 xl:col-span-4" aria-labelledby="revenue-title">
      <h2 id="revenue-title" className="mb-4 font-serif text-xl md:text-2xl">
        Recent Revenue
      </h2>
      <div className="rounded-xl bg-gray-50 p-4">
        {revenue === undefined ? (
          <div className="shimmer h-[410px] rounded-md bg-white" aria-busy="true" />
        ) : revenue.length === 0 ? (
          <div className="flex h-[410px] items-center justify-center rounded-md bg-white">
            <p className="text-gray-500">No data available.</p>
          </div>
        ) : (
          <Bars revenue={revenue} />
        )}
        <div className="flex items-center pb-2 pt-6">
          <CalendarIcon className="h-5 w-5 text-gray-500" aria-hidden="true" />
          <p className="ml-2 text-sm text-gray-600" data-testid="chart-period">
            {revenue === undefined ? "\u00a0" : periodLabel(revenue)}
          </p>
        </div>
      </div>
    </section>
  );
}

/** The months the chart shows, as they are: "Jan – Dec 2023", "Jul 2023 – Jun 2024". */
export function periodLabel(revenue: Dashboard["revenue"]): string {
  const first = revenue[0];
  const last = revenue[revenue.length - 1];
  if (!first || !last) return "No months to show";
  const [firstYear] = first.month.split("-");
  const [lastYear] = last.month.split("-");
  if (first.month === last.month) return `${first.label} ${firstYear}`;
  if (firstYear === lastYear) return `${first.label} – ${last.label} ${lastYear}`;
  return `${first.label} ${firstYear} – ${last.label} ${lastYear}`;
}

function Bars({ revenue }: { revenue: Dashboard["revenue"] }) {
  const { labels, top } = generateYAxis(revenue.map((m) => m.revenue));
  return (
    // The labels shorten to one letter when the chart is too narrow for "Jan" under every bar.
    <div
      className="@container flex h-[410px] gap-2 rounded-md bg-white p-4 sm:gap-4"
      role="img"
      aria-label={`Revenue per month: ${revenue.map((m) => `${m.label} $${formatNumber(m.revenue)}`).join(", ")}`}
    >
      <div className="mb-7 flex h-[350px] shrink-0 flex-col justify-between self-end text-right text-xs text-gray-500" data-testid="y-axis">
        {labels.map((label) => (
          <p key={label} className="leading-none">{label}</p>
        ))}
      </div>
      <div className="grid min-w-0 flex-1 items-end gap-1 @min-[26rem]:gap-2" style={{ gridTemplateColumns: `repeat(${revenue.length}, minmax(0, 1fr))` }}>
        {revenue.map((month) => (
          <div key={month.month} className="flex min-w-0 flex-col items-center gap-2">
            <div
              className="w-full rounded-md bg-blue-300"
              data-testid="revenue-bar"
              title={`${month.label}: $${formatNumber(month.revenue)}`}
              style={{ height: `${Math.round((CHART_HEIGHT / top) * month.revenue)}px` }}
            />
            <p className="h-5 text-xs leading-5 text-gray-500" data-testid="month-label" title={month.label}>
              <span className="hidden @min-[26rem]:inline">{month.label}</span>
              <span className="@min-[26rem]:hidden">{month.label.slice(0, 1)}</span>
            </p>
          </div>
        ))}
      </div>
    </div>
  );
}

function LatestInvoices({ invoices }: { invoices: Dashboard["latestInvoices"] | undefined }) {
  return (
    <section className="flex w-full min-w-0 flex-col xl:col-span-4" aria-labelledby="latest-title">
      <h2 id="latest-title" className="mb-4 font-serif text-xl md:text-2xl">
        Latest Invoices
      </h2>
      <div className="flex grow flex-col justify-between rounded-xl bg-gray-50 p-4">
        <div className="bg-white px-4 sm:px-6">
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
              ? <p className="py-8 text-center text-sm text-gray-500">No invoices yet.</p>
              : invoices.map((invoice, i) => (
                  <div
                    key={invoice.id}
                    data-testid="latest-invoice"
                    className={`flex h-[73px] flex-row items-center justify-between py-4 ${i ? "border-t border-gray-200" : ""}`}
                  >
                    <div className="flex min-w-0 items-center">
                      <Avatar name={invoice.customerName} imageUrl={invoice.customerImageUrl} size={32} className="mr-3 sm:mr-4" />
                      <div className="min-w-0">
                        <p className="truncate text-sm font-semibold md:text-base" title={invoice.customerName}>
                          {invoice.customerName}
                        </p>
                        <p className="hidden truncate text-sm text-gray-500 sm:block" title={invoice.customerEmail}>
                          {invoice.customerEmail}
                        </p>
                      </div>
                    </div>
                    <p className="ml-3 shrink-0 whitespace-nowrap font-serif text-sm font-medium md:text-base" data-testid="money">
                      {formatCurrency(invoice.amount)}
                    </p>
                  </div>
                ))}
        </div>
        <div className="flex items-center pb-2 pt-6">
          <ArrowPathIcon className="h-5 w-5 text-gray-500" aria-hidden="true" />
          <p className="ml-2 text-sm text-gray-600">Updated just now</p>
        </div>
      </div>
    </section>
  );
}
