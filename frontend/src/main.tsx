import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
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
// Router updates render at once, not as transitions: a transition renders in 5 ms slices with the
// browser's other work in between, which delays the first screen on a busy machine. The loaders
// never wait for data, so there is nothing a transition would keep on screen meanwhile.
createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} useTransitions={false} />
  </StrictMode>,
);
