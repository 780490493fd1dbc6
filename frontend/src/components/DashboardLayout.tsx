import { Suspense, useEffect, useState } from "react";
import { Outlet, useLocation, useNavigate } from "react-router";
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
      <div className="w-full flex-none md:w-64">
        <SideNav onSignOut={signOut} signingOut={signingOut} />
      </div>
      <div className="flex-grow p-6 md:overflow-y-auto md:p-12">
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={null}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </div>
    </div>
  );
}
