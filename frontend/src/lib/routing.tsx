/*
 * The dashboard's router: browser history, nested routes, route loaders that start a screen's data
 * request, and screens whose code loads on demand. It does what the screens ask of a router and
 * no more, in a few kilobytes that cost next to nothing to evaluate before the first screen (the
 * general-purpose router was most of the main bundle: docs/performance.md, "Frontend").
 *
 * A navigation matches the URL to a branch of routes, runs the branch's loaders (which never wait:
 * they start requests or redirect), loads the branch's code, and only then changes the URL and the
 * screen, so the old screen stays up meanwhile (`useNavigation` says "loading"). A newer navigation
 * supersedes one still loading.
 */
import {
  Component,
  createContext,
  useContext,
  useMemo,
  type AnchorHTMLAttributes,
  type ComponentType,
  type MouseEvent,
  type ReactNode,
} from "react";
import { useStore } from "./store";

export type Params = Readonly<Record<string, string | undefined>>;

export interface LoaderFunctionArgs {
  request: { url: string };
  params: Params;
}

export interface Redirect {
  redirect: string;
}

export interface RouteObject {
  path?: string;
  index?: boolean;
  /** Runs before the route's code has loaded; starts work or redirects, never waits. */
  loader?: (args: LoaderFunctionArgs) => Redirect | null;
  lazy?: () => Promise<{ Component: ComponentType }>;
  element?: ReactNode;
  /** Shown instead of this route (and what it holds) when it fails to load or to render. */
  errorElement?: ReactNode;
  /** Shown until the first screen's code has loaded (the top route's only). */
  hydrateFallbackElement?: ReactNode;
  children?: RouteObject[];
}

export interface Location {
  pathname: string;
  search: string;
  hash: string;
  state: unknown;
  key: string;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

export interface Branch {
  routes: RouteObject[];
  segments: string[];
  score: number;
}

interface RouterState {
  location: Location;
  branch: Branch | null;
  params: Params;
  navigating: boolean;
  ready: boolean;
  error: unknown;
}

/** A loader's answer: go to `to` instead (replacing the address being opened). */
export function redirect(to: string): Redirect {
  return { redirect: to };
}

function split(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** Every route that can be a screen, with its parents, most specific first within equal length. */
function flatten(routes: RouteObject[], parents: RouteObject[] = [], base: string[] = []): Branch[] {
  const branches: Branch[] = [];
  for (const route of routes) {
    const segments = route.path === undefined ? base : route.path.startsWith("/") ? split(route.path) : [...base, ...split(route.path)];
    const chain = [...parents, route];
    if (route.children) branches.push(...flatten(route.children, chain, segments));
    if (route.index || (route.path !== undefined && !route.children)) {
      // Static segments outrank parameters, which outrank a catch-all.
      const score = segments.reduce((sum, s) => sum + (s === "*" ? -2 : s.startsWith(":") ? 3 : 10), 0);
      branches.push({ routes: chain, segments, score });
    }
  }
  return branches;
}

function matchBranch(branch: Branch, parts: string[]): Params | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < branch.segments.length; i++) {
    const segment = branch.segments[i] ?? "";
    if (segment === "*") {
      params["*"] = parts.slice(i).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.startsWith(":")) params[segment.slice(1)] = part;
    else if (segment.toLowerCase() !== part.toLowerCase()) return null;
  }
  return parts.length === branch.segments.length ? params : null;
}

/** The branch of routes (outermost first) that shows a path, with the path's parameters. */
export function matcher(routes: RouteObject[]): (pathname: string) => [Branch, Params] | null {
  const branches = flatten(routes).sort((a, b) => b.score - a.score);
  return (pathname) => {
    const parts = split(pathname).map(decode);
    for (const branch of branches) {
      const params = matchBranch(branch, parts);
      if (params) return [branch, params];
    }
    return null;
  };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function currentLocation(): Location {
  const { pathname, search, hash } = window.location;
  const saved = window.history.state as { usr?: unknown; key?: string } | null;
  return { pathname, search, hash, state: saved?.usr ?? null, key: saved?.key ?? "default" };
}

export interface Router {
  navigate(to: string | number, options?: NavigateOptions): Promise<void>;
  subscribe(listener: () => void): () => void;
  getState(): RouterState;
  /** A lazy route's component, once loaded. */
  loadedComponent(route: RouteObject): ComponentType | undefined;
  /** What shows until the first screen's code has loaded. */
  fallback: ReactNode;
}

export function createBrowserRouter(routes: RouteObject[]): Router {
  const match = matcher(routes);
  const loaded = new Map<RouteObject, ComponentType>();
  const listeners = new Set<() => void>();
  let state: RouterState = {
    location: currentLocation(),
    branch: null,
    params: {},
    navigating: false,
    ready: false,
    error: null,
  };
  let latest = 0;

  const set = (next: Partial<RouterState>) => {
    state = { ...state, ...next };
    listeners.forEach((listener) => listener());
  };

  async function go(url: URL, options: NavigateOptions & { pop?: boolean }): Promise<void> {
    const id = ++latest;
    const found = match(url.pathname);
    if (found) {
      for (const route of found[0].routes) {
        const answer = route.loader?.({ request: { url: url.href }, params: found[1] });
        if (answer) return go(new URL(answer.redirect, url), { replace: true });
      }
    }
    const missing = (found?.[0].routes ?? []).filter((route) => route.lazy && !loaded.has(route));
    let error: unknown = null;
    if (missing.length) {
      set({ navigating: true });
      await Promise.all(missing.map(async (route) => loaded.set(route, (await route.lazy!()).Component))).catch(
        (failure: unknown) => (error = failure ?? new Error("The page failed to load")),
      );
      if (id !== latest) return; // a newer navigation took over
    }
    let location: Location;
    if (options.pop) {
      location = currentLocation(); // the browser has moved already
    } else {
      location = { pathname: url.pathname, search: url.search, hash: url.hash, state: options.state ?? null, key: Math.random().toString(36).slice(2, 10) };
      const same = url.pathname + url.search + url.hash === window.location.pathname + window.location.search + window.location.hash;
      const entry = { usr: location.state, key: location.key };
      if (options.replace || same) window.history.replaceState(entry, "", url.href);
      else window.history.pushState(entry, "", url.href);
    }
    set({
      location,
      branch: found?.[0] ?? null,
      params: found?.[1] ?? {},
      navigating: false,
      ready: true,
      error,
    });
  }

  window.addEventListener("popstate", () => void go(new URL(window.location.href), { pop: true }));
  void go(new URL(window.location.href), { pop: true });

  return {
    navigate(to, options = {}) {
      if (typeof to === "number") {
        window.history.go(to);
        return Promise.resolve();
      }
      const url = new URL(resolve(to, state.location), window.location.href);
      if (url.origin !== window.location.origin) {
        window.location.assign(url.href);
        return Promise.resolve();
      }
      return go(url, options);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getState: () => state,
    loadedComponent: (route) => loaded.get(route),
    fallback: routes[0]?.hydrateFallbackElement ?? null,
  };
}

/** `to` as an address: "?page=2" keeps the current path, other relative paths resolve against it. */
function resolve(to: string, location: Location): string {
  if (to.startsWith("?")) return location.pathname + to;
  if (to.startsWith("#")) return location.pathname + location.search + to;
  return to;
}

// ---- rendering --------------------------------------------------------------------------------

const RouterContext = createContext<{ router: Router; state: RouterState } | null>(null);
const DepthContext = createContext(-1);
const ErrorContext = createContext<unknown>(undefined);

function useRouter(): { router: Router; state: RouterState } {
  const context = useContext(RouterContext);
  if (!context) throw new Error("Router hooks need a <RouterProvider>");
  return context;
}

export function RouterProvider({ router }: { router: Router }) {
  const state = useStore(router.subscribe, router.getState);
  const value = useMemo(() => ({ router, state }), [router, state]);
  return <RouterContext.Provider value={value}>{state.ready ? <Level depth={0} /> : router.fallback}</RouterContext.Provider>;
}

function Level({ depth }: { depth: number }) {
  const { router, state } = useRouter();
  const route = state.branch?.routes[depth];
  if (!route) return null;
  const Loaded = router.loadedComponent(route);
  const element = route.element ?? (Loaded ? <Loaded /> : <Outlet />);
  const inner = <DepthContext.Provider value={depth}>{element}</DepthContext.Provider>;
  if (!route.errorElement) return inner;
  // A failed load shows the nearest error screen at once; a render error is caught below.
  if (state.error && !state.branch?.routes.slice(depth + 1).some((r) => r.errorElement)) {
    return <ErrorContext.Provider value={state.error}>{route.errorElement}</ErrorContext.Provider>;
  }
  return (
    <RouteErrorBoundary fallback={route.errorElement} resetKey={state.location.key}>
      {inner}
    </RouteErrorBoundary>
  );
}

class RouteErrorBoundary extends Component<
  { fallback: ReactNode; resetKey: string; children: ReactNode },
  { error: unknown; key: string }
> {
  state = { error: undefined as unknown, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error: error ?? new Error("The page failed") };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: unknown; key: string }) {
    // Another address: try rendering again.
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }

  render() {
    if (this.state.error === undefined) return this.props.children;
    return <ErrorContext.Provider value={this.state.error}>{this.props.fallback}</ErrorContext.Provider>;
  }
}

/** Where a layout route shows the route it holds. */
export function Outlet() {
  return <Level depth={useContext(DepthContext) + 1} />;
}

export function useRouteError(): unknown {
  return useContext(ErrorContext);
}

export function useLocation(): Location {
  return useRouter().state.location;
}

export function useParams(): Params {
  return useRouter().state.params;
}

export function useNavigation(): { state: "idle" | "loading" } {
  return { state: useRouter().state.navigating ? "loading" : "idle" };
}

export function useNavigate(): (to: string | number, options?: NavigateOptions) => void {
  const { router } = useRouter();
  return useMemo(() => (to: string | number, options?: NavigateOptions) => void router.navigate(to, options), [router]);
}

export function useSearchParams(): [URLSearchParams, (next: URLSearchParams, options?: NavigateOptions) => void] {
  const { router, state } = useRouter();
  const params = useMemo(() => new URLSearchParams(state.location.search), [state.location.search]);
  const setParams = useMemo(
    () => (next: URLSearchParams, options?: NavigateOptions) => void router.navigate(`?${next.toString()}`, options),
    [router],
  );
  return [params, setParams];
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & {
  to: string;
  replace?: boolean;
  state?: unknown;
};

/** An ordinary link that the router follows in place (a new tab, a download: the browser's). */
export function Link({ to, replace, state: linkState, onClick, target, ...rest }: LinkProps) {
  const { router, state } = useRouter();
  const href = resolve(to, state.location);
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (target && target !== "_self") ||
      rest.download !== undefined
    ) {
      return;
    }
    event.preventDefault();
    void router.navigate(href, { replace, state: linkState });
  };
  return <a href={href} onClick={follow} target={target} {...rest} />;
}

type NavLinkProps = Omit<LinkProps, "className"> & {
  end?: boolean;
  className?: string | ((state: { isActive: boolean }) => string);
};

/** A link that knows whether its screen is the one shown (`aria-current="page"` when it is). */
export function NavLink({ end = false, className, ...rest }: NavLinkProps) {
  const { pathname } = useLocation();
  const target = rest.to.replace(/\/+$/, "").toLowerCase();
  const here = pathname.replace(/\/+$/, "").toLowerCase();
  const isActive = here === target || (!end && here.startsWith(`${target}/`));
  return (
    <Link
      {...rest}
      aria-current={isActive ? "page" : undefined}
      className={typeof className === "function" ? className({ isActive }) : className}
    />
  );
}
