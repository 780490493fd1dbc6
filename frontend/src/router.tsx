import { lazy, Suspense } from "react";
import { createBrowserRouter, Outlet, useRouteError } from "react-router";
import DashboardLayout from "./components/DashboardLayout";
import { ErrorScreen } from "./components/ErrorScreen";

const Landing = lazy(() => import("./pages/Landing"));
const Login = lazy(() => import("./pages/Login"));
const Overview = lazy(() => import("./pages/Overview"));
const Invoices = lazy(() => import("./pages/Invoices"));
const CreateInvoice = lazy(() => import("./pages/InvoiceForm").then((m) => ({ default: m.CreateInvoice })));
const InvoicePage = lazy(() => import("./pages/InvoicePage"));
const EditInvoice = lazy(() => import("./pages/InvoiceForm").then((m) => ({ default: m.EditInvoice })));
const Customers = lazy(() => import("./pages/Customers"));
const NotFound = lazy(() => import("./pages/NotFound"));

function RootError() {
  const error = useRouteError();
  console.error("Page failed", error);
  return <ErrorScreen onRetry={() => window.location.reload()} />;
}

function Root() {
  return (
    <Suspense fallback={null}>
      <Outlet />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RootError />,
    children: [
      { path: "/", element: <Landing /> },
      { path: "/login", element: <Login /> },
      {
        path: "/dashboard",
        element: <DashboardLayout />,
        children: [
          { index: true, element: <Overview /> },
          { path: "invoices", element: <Invoices /> },
          { path: "invoices/create", element: <CreateInvoice /> },
          { path: "invoices/:id", element: <InvoicePage /> },
          { path: "invoices/:id/edit", element: <EditInvoice /> },
          { path: "customers", element: <Customers /> },
        ],
      },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
