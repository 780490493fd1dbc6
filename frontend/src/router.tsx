import { createBrowserRouter, Outlet, redirect, useRouteError, type LoaderFunctionArgs, type RouteObject } from "./lib/routing";
import { hasSession } from "./api/client";
import DashboardLayout from "./components/DashboardLayout";
import { ErrorScreen } from "./components/ErrorScreen";
import ProgressBar from "./components/ProgressBar";
import { parseStatusFilter } from "./components/StatusTabs";
import { prefetch, type QuerySpec } from "./lib/hooks";
import { customersQuery, dashboardQuery, invoiceQuery, invoicesQuery, listParams } from "./lib/queries";

/*
 * Every screen's code is loaded on demand (route `lazy`), and its data request starts in the
 * route's loader at the same moment, so neither waits for the other. The loaders never wait for
 * the answer: the screen renders its skeleton and fills in when the data arrives.
 *
 * A new screen: add a route with `lazy: page(() => import("./pages/X"))` and, if it shows data,
 * a loader that calls `prefetch` with the same QuerySpec the page passes to `useQuery`.
 */

type PageModule = { default: React.ComponentType };

function page(load: () => Promise<PageModule>) {
  return async () => ({ Component: (await load()).default });
}

function named<K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

function prefetching(spec: (args: LoaderFunctionArgs) => QuerySpec<unknown>) {
  return (args: LoaderFunctionArgs) => {
    if (hasSession()) prefetch(spec(args));
    return null;
  };
}

function RootError() {
  const error = useRouteError();
  console.error("Page failed", error);
  return <ErrorScreen onRetry={() => window.location.reload()} />;
}

function Root() {
  return (
    <>
      <ProgressBar />
      <Outlet />
    </>
  );
}

const search = ({ request }: LoaderFunctionArgs) => new URL(request.url).searchParams;

const dashboardRoutes: RouteObject[] = [
  { index: true, loader: prefetching(() => dashboardQuery()), lazy: page(() => import("./pages/Overview")) },
  {
    path: "invoices",
    loader: prefetching((args) => {
      const { query, page } = listParams(search(args));
      return invoicesQuery(query, page, parseStatusFilter(search(args).get("status")));
    }),
    lazy: page(() => import("./pages/Invoices")),
  },
  { path: "invoices/:id", lazy: page(() => import("./pages/InvoicePage")) },
  { path: "invoices/create", lazy: named(() => import("./pages/InvoiceForm"), "CreateInvoice") },
  {
    path: "invoices/:id/edit",
    loader: prefetching(({ params }) => invoiceQuery(params.id ?? "")),
    lazy: named(() => import("./pages/InvoiceForm"), "EditInvoice"),
  },
  {
    path: "customers",
    loader: prefetching((args) => {
      const { query, page } = listParams(search(args));
      return customersQuery(query, page);
    }),
    lazy: page(() => import("./pages/Customers")),
  },
  { path: "customers/create", lazy: named(() => import("./pages/CustomerForm"), "CreateCustomer") },
  { path: "customers/:id", lazy: page(() => import("./pages/CustomerDetail")) },
  { path: "customers/:id/edit", lazy: named(() => import("./pages/CustomerForm"), "EditCustomer") },
  { path: "import", lazy: page(() => import("./pages/Import")) },
  { path: "settings/api-keys", lazy: page(() => import("./pages/ApiKeys")) },
];

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RootError />,
    hydrateFallbackElement: <ProgressBar loading />,
    children: [
      { path: "/", lazy: page(() => import("./pages/Landing")) },
      { path: "/login", lazy: page(() => import("./pages/Login")) },
      {
        path: "/dashboard",
        // No session cookie at all: straight to the login page, without asking the API.
        loader: ({ request }) => {
          if (hasSession()) return null;
          const { pathname, search: query } = new URL(request.url);
          return redirect(`/login?callbackUrl=${encodeURIComponent(pathname + query)}`);
        },
        element: <DashboardLayout />,
        children: dashboardRoutes,
      },
      // Outside the dashboard's frame: a customer's statement laid out for printing.
      { path: "/dashboard/customers/:id/statement", lazy: page(() => import("./pages/Statement")) },
      { path: "*", lazy: page(() => import("./pages/NotFound")) },
    ],
  },
]);
