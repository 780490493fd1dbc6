import { describe, expect, it } from "vitest";
import { matcher, type RouteObject } from "./routing";

const create: RouteObject = { path: "invoices/create" };
const invoice: RouteObject = { path: "invoices/:id" };
const edit: RouteObject = { path: "invoices/:id/edit" };
const overview: RouteObject = { index: true };
const statement: RouteObject = { path: "/dashboard/customers/:id/statement" };
const notFound: RouteObject = { path: "*" };
const landing: RouteObject = { path: "/" };
const dashboard: RouteObject = { path: "/dashboard", children: [overview, invoice, create, edit] };
const root: RouteObject = { children: [landing, dashboard, statement, notFound] };
const match = matcher([root]);

function leaf(path: string) {
  const found = match(path);
  return found && { route: found[0].routes.at(-1), params: found[1], depth: found[0].routes.length };
}

describe("matcher", () => {
  it("prefers a fixed segment to a parameter, whatever the order of the routes", () => {
    expect(leaf("/dashboard/invoices/create")?.route).toBe(create);
    expect(leaf("/dashboard/invoices/3f2a")).toEqual({ route: invoice, params: { id: "3f2a" }, depth: 3 });
    expect(leaf("/dashboard/invoices/3f2a/edit")?.route).toBe(edit);
  });

  it("finds an index route, and the layout routes around each screen", () => {
    expect(leaf("/dashboard")).toEqual({ route: overview, params: {}, depth: 3 });
    expect(match("/dashboard")?.[0].routes).toEqual([root, dashboard, overview]);
    expect(leaf("/")?.route).toBe(landing);
  });

  it("takes an absolute child path as it is, outside its parent's frame", () => {
    expect(leaf("/dashboard/customers/42/statement")).toEqual({ route: statement, params: { id: "42" }, depth: 2 });
  });

  it("ignores case and trailing slashes as the server does, and decodes parameters", () => {
    expect(leaf("/Dashboard/Invoices/Create/")?.route).toBe(create);
    expect(leaf("/dashboard/invoices/a%20b")?.params).toEqual({ id: "a b" });
    expect(leaf("/dashboard/invoices/%E0%A4%A")?.params).toEqual({ id: "%E0%A4%A" });
  });

  it("sends every other address to the catch-all", () => {
    expect(leaf("/dashboard/invoices/1/edit/more")?.route).toBe(notFound);
    expect(leaf("/nowhere")).toEqual({ route: notFound, params: { "*": "nowhere" }, depth: 2 });
    expect(match("/x")).not.toBeNull();
    expect(matcher([landing])("/x")).toBeNull();
  });
});
