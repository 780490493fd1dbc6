// Starts the data request of the screen being opened while the app's code is still downloading
// and compiling (it waits for nothing; the app picks the answer up by its key, see
// src/lib/hooks.ts `prefetch`). Keys and URLs mirror src/lib/queries.ts; a mismatch only costs
// one unused request. A plain file because the Content-Security-Policy allows no inline script.
(function () {
  if (!/(?:^|;\s*)acme_csrf=[^;]/.test(document.cookie)) return; // logged out: nothing to load
  var path = location.pathname.replace(/\/+$/, "");
  var params = new URLSearchParams(location.search);
  var query = params.get("query") || "";
  var raw = params.get("page");
  var page = raw && /^\d+$/.test(raw) && Number(raw) >= 1 && Number.isSafeInteger(Number(raw)) ? Number(raw) : 1;
  var list = function (name, size) {
    var search = new URLSearchParams({ query: query, page: String(page), pageSize: String(size) });
    return [name + ":" + query + ":" + page, "/api/" + name + "?" + search.toString()];
  };
  var wanted =
    path === "/dashboard" ? ["dashboard", "/api/dashboard"]
    : path === "/dashboard/invoices" ? list("invoices", 6)
    : path === "/dashboard/customers" ? list("customers", 10)
    : null;
  if (!wanted) return;
  window.__acmeEarly = {};
  window.__acmeEarly[wanted[0]] = fetch(wanted[1], { credentials: "same-origin", headers: { Accept: "application/json" } });
})();
