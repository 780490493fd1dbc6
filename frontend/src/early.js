// Runs before the app's code has arrived (a plain, render-blocking script in <head>) and starts
// what the screen being opened needs, instead of the app doing so once it has started:
// - its data: the app picks the answer up by its key (src/lib/hooks.ts `takeEarly`). Keys and URLs
//   mirror src/lib/queries.ts; a mismatch only costs one unused request.
// - its code: the build (vite.config.ts `earlyScript`) fills in each page's chunks, preloaded
//   here in parallel with the main bundle rather than requested after it has run. Routes mirror
//   src/router.tsx; a page missing here only loads as it would without this file.
// A file because the Content-Security-Policy allows no inline script; hashed by the build, so a
// cached copy never names the chunks of another build.
(function () {
  var PAGE_FILES = /* page files */ {};
  var PAGES = [
    [/^\/$/, "Landing"],
    [/^\/login$/, "Login"],
    [/^\/dashboard$/, "Overview"],
    [/^\/dashboard\/invoices$/, "Invoices"],
    [/^\/dashboard\/invoices\/create$/, "InvoiceForm"],
    [/^\/dashboard\/invoices\/[^/]+\/edit$/, "InvoiceForm"],
    [/^\/dashboard\/invoices\/[^/]+$/, "InvoicePage"],
    [/^\/dashboard\/customers$/, "Customers"],
    [/^\/dashboard\/customers\/create$/, "CustomerForm"],
    [/^\/dashboard\/customers\/[^/]+\/edit$/, "CustomerForm"],
    [/^\/dashboard\/customers\/[^/]+\/statement$/, "Statement"],
    [/^\/dashboard\/customers\/[^/]+$/, "CustomerDetail"],
    [/^\/dashboard\/import$/, "Import"],
    [/^\/dashboard\/settings\/api-keys$/, "ApiKeys"],
  ];
  var loggedIn = /(?:^|;\s*)acme_csrf=[^;]/.test(document.cookie);
  var path = location.pathname.replace(/\/+$/, "") || "/";
  var params = new URLSearchParams(location.search);

  // The data first: it is what the screen waits for longest.
  var query = (params.get("query") || "").replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
  var raw = params.get("page");
  var number = raw && /^\d+$/.test(raw) && Number(raw) >= 1 && Number.isSafeInteger(Number(raw)) ? Number(raw) : 1;
  var list = function (name, size) {
    var search = new URLSearchParams({ query: query, page: String(number), pageSize: String(size) });
    return [name + ":" + query + ":" + number, "/api/" + name + "?" + search.toString()];
  };
  var wanted = !loggedIn ? null
    : path === "/dashboard" ? ["dashboard", "/api/dashboard"]
    : path === "/dashboard/invoices" && !params.get("status") ? list("invoices", 6)
    : path === "/dashboard/customers" ? list("customers", 10)
    : null;
  if (wanted) {
    window.__acmeEarly = {};
    window.__acmeEarly[wanted[0]] = fetch(wanted[1], { credentials: "same-origin", headers: { Accept: "application/json" } });
  }

  // Then the page's code. Logged out, a dashboard address leads to the login page.
  var page = !loggedIn && /^\/dashboard(\/|$)/.test(path) ? "Login" : null;
  for (var i = 0; i < PAGES.length && page === null; i++) if (PAGES[i][0].test(path)) page = PAGES[i][1];
  var files = (page && PAGE_FILES[page]) || [];
  for (var j = 0; j < files.length; j++) {
    var link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = "/" + files[j];
    document.head.appendChild(link);
  }
})();
