import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "./lib/routing";
import { setUnauthorizedHandler } from "./api/client";
import { dropEarlyLeftovers } from "./lib/hooks";
import { router } from "./router";
import "./index.css";

// Any 401 in the middle of use (an expired or ended session) leads to the login page and back.
setUnauthorizedHandler(() => {
  const { pathname, search } = window.location;
  if (pathname === "/login") return;
  void router.navigate(`/login?callbackUrl=${encodeURIComponent(pathname + search)}`, { replace: true });
});

// A page restored from the back/forward cache after signing out must not show old data.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) window.location.reload();
});

// The first screen has taken its early request by now (or never will, e.g. after a redirect).
setTimeout(dropEarlyLeftovers, 5_000);

const root = document.getElementById("root");
if (!root) throw new Error("No #root element");
createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
