import { useEffect, useState } from "react";
import { Outlet, useLocation, useNavigate } from "../lib/routing";
import { api } from "../api/client";
import { ErrorBoundary } from "./ErrorScreen";
import SideNav from "./SideNav";

export default function DashboardLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);

  // Make sure there is a session; a 401 sends the user to the login page.
  useEffect(() => {
    const controller = new AbortController();
    api.GET("/api/auth/me", { signal: controller.signal }).then(
      ({ response }) => {
        if (response.status === 401) {
          const callbackUrl = location.pathname + location.search;
          navigate(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`, { replace: true });
        }
      },
      () => undefined,
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.pathname]);

  async function signOut() {
    setSigningOut(true);
    try {
      await api.POST("/api/auth/logout");
    } catch {
      // The session ends on the server either way; go on to the landing page.
    }
    setSigningOut(false);
    navigate("/");
  }

  return (
    <div className="flex h-screen flex-col md:flex-row md:overflow-hidden">
      <a
        href="#content"
        className="sr-only z-50 rounded-md bg-blue-600 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:px-4 focus:py-2"
      >
        Skip to main content
      </a>
      {/* The banner landmark: the logo and the main navigation (every part of a page is in one). */}
      <header className="w-full flex-none md:w-64">
        <SideNav onSignOut={signOut} signingOut={signingOut} />
      </header>
      {/* Focusable so that keyboard users can scroll it (it scrolls on its own from 768 px). */}
      <div id="content" tabIndex={0} className="min-w-0 flex-grow p-6 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-600 md:overflow-y-auto md:p-8 lg:p-12" data-testid="content">
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </div>
    </div>
  );
}
