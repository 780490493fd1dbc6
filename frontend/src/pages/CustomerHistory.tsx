import { useParams } from "react-router";
import { api, call } from "../api/client";
import Avatar from "../components/Avatar";
import Breadcrumbs from "../components/Breadcrumbs";
import History from "../components/History";
import { formatCurrency } from "../lib/format";
import { useQuery } from "../lib/hooks";

/** One customer, with who changed it and when. */
export default function CustomerHistory() {
  const { id = "" } = useParams();
  const { data, error } = useQuery({
    key: `customer:${id}`,
    load: (signal) => call(api.GET("/api/customers/{customer_id}", { params: { path: { customer_id: id } }, signal })).then((r) => r.data),
  });
  // A deleted customer keeps its history: show it under the id alone.
  if (error && error.status !== 404) throw error;
  return (
    <main>
      <Breadcrumbs
        breadcrumbs={[
          { label: "Customers", href: "/dashboard/customers" },
          { label: data?.name ?? "Customer", href: `/dashboard/customers/${id}`, active: true },
        ]}
      />
      {data ? (
        <div className="flex flex-wrap items-center gap-4 rounded-md bg-gray-50 p-4 md:p-6">
          <Avatar name={data.name} imageUrl={data.imageUrl} />
          <div className="min-w-0">
            <p className="truncate font-medium">{data.name}</p>
            <p className="truncate text-sm text-gray-500">{data.email}</p>
          </div>
          <p className="ml-auto text-sm text-gray-600">
            {data.invoiceCount} invoices · {formatCurrency(data.totalPending)} pending · {formatCurrency(data.totalPaid)} paid
          </p>
        </div>
      ) : error ? (
        <p className="rounded-md bg-gray-50 p-4 text-sm text-gray-600">This customer no longer exists.</p>
      ) : (
        <div className="h-[76px] rounded-md bg-gray-50" aria-busy="true" />
      )}
      <History resource="customers" id={id} />
    </main>
  );
}
