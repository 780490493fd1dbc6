import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { setUnauthorizedHandler } from "./api/client";
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

const root = document.getElementById("root");
if (!root) throw new Error("No #root element");
createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
