import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useStore } from "./store";
import { ApiError, toApiError as fromErrorBody } from "../api/client";

export interface Query<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** A screen's data request: a cache key and the call that loads it. */
export interface QuerySpec<T> {
  key: string;
  load: (signal: AbortSignal) => Promise<T>;
}

// ---- requests started before their screen renders (route loaders) ---------------------------

interface Prefetched {
  promise: Promise<unknown>;
  settled: { data: unknown } | { error: unknown } | null;
  started: number;
}

const PREFETCH_TTL_MS = 10_000;
const prefetched = new Map<string, Prefetched>();

declare global {
  interface Window {
    /** Requests src/early.js started before this code ran, by query key (used once). */
    __acmeEarly?: Record<string, Promise<Response> | undefined>;
  }
}

/** Reads and drops early answers nobody asked for (their open bodies would count as loading). */
export function dropEarlyLeftovers(): void {
  const early = typeof window === "undefined" ? undefined : window.__acmeEarly;
  if (!early) return;
  for (const key of Object.keys(early)) {
    early[key]?.then((response) => response.body?.cancel(), () => undefined);
    delete early[key];
  }
}

/** The answer of the request src/early.js started for `key`, read like `call()` would. */
function takeEarly<T>(key: string): Promise<T> | undefined {
  const early = typeof window === "undefined" ? undefined : window.__acmeEarly?.[key];
  if (!early) return undefined;
  delete window.__acmeEarly?.[key];
  return early.then(
    async (response) => {
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw fromErrorBody(response, body);
      return body as T;
    },
    () => {
      throw new ApiError(0, "Something went wrong.");
    },
  );
}

/**
 * Starts a screen's data request now (from a route loader, while the screen's code loads), so that
 * the screen finds the answer in flight or already there instead of asking only once rendered.
 */
export function prefetch<T>(spec: QuerySpec<T>): void {
  const existing = prefetched.get(spec.key);
  if (existing && performance.now() - existing.started < PREFETCH_TTL_MS) return;
  const entry: Prefetched = {
    promise: trackBusy(takeEarly<T>(spec.key) ?? spec.load(new AbortController().signal)),
    settled: null,
    started: performance.now(),
  };
  entry.promise.then(
    (data) => (entry.settled = { data }),
    (error: unknown) => (entry.settled = { error }),
  );
  prefetched.set(spec.key, entry);
}

/** The prefetched request for `key`, if one was started recently (it is handed out once). */
function takePrefetched(key: string, peek = false): Prefetched | undefined {
  const entry = prefetched.get(key);
  if (!entry) return undefined;
  if (performance.now() - entry.started > PREFETCH_TTL_MS && entry.settled) {
    prefetched.delete(key);
    return undefined;
  }
  if (!peek) prefetched.delete(key);
  return entry;
}

// ---- "something is loading": drives the progress bar ------------------------------------------

let busy = 0;
const listeners = new Set<() => void>();

function setBusy(delta: number): void {
  busy += delta;
  for (const listener of listeners) listener();
}

function trackBusy<T>(promise: Promise<T>): Promise<T> {
  setBusy(1);
  return promise.finally(() => setBusy(-1));
}

/** True while any screen's data request is on its way. */
export function useDataLoading(): boolean {
  return useStore(onBusyChange, isBusy);
}

function onBusyChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const isBusy = () => busy > 0;

// ---- the screen's width ------------------------------------------------------------------

/** Tailwind's `lg` breakpoint, from which lists show as tables rather than cards. */
const WIDE = "(min-width: 64rem)";

let wideMedia: MediaQueryList | undefined;
const widthQuery = () => (wideMedia ??= window.matchMedia(WIDE));

const isWide = () => widthQuery().matches;

function onWidthChange(listener: () => void): () => void {
  widthQuery().addEventListener("change", listener);
  return () => widthQuery().removeEventListener("change", listener);
}

/**
 * True from the `lg` width up. A list renders its table or its cards, not both with one hidden
 * by CSS: half the elements to build and lay out on the way to the first screen.
 */
export function useWide(): boolean {
  return useStore(onWidthChange, isWide);
}

// ---- loading a screen's data ----------------------------------------------------------------

function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, "Something went wrong.");
}

/**
 * Loads data for a screen and reloads it when `key` changes; older answers are dropped.
 * Uses the answer of a request a route loader already started for the same key.
 * A 401 keeps the screen loading: the API client is already sending the user to the login page.
 */
export function useQuery<T>(spec: QuerySpec<T>): Query<T> {
  const { key } = spec;
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError }>(() => {
    // The answer may have arrived before the screen's code: show it in the very first render.
    const ready = takePrefetched(key, true)?.settled;
    return ready && "data" in ready ? { key, data: ready.data as T } : { key: "" };
  });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(spec.load);
  loadRef.current = spec.load;

  // A layout effect: it runs as the render is committed, not after the next frame, so an answer
  // already in (or arriving meanwhile) shows without waiting for a frame of skeleton.
  useLayoutEffect(() => {
    const controller = new AbortController();
    const early = attempt === 0 ? takePrefetched(key) : undefined;
    const request = early ? (early.promise as Promise<T>) : trackBusy(loadRef.current(controller.signal));
    let current = true;
    request.then(
      (data) => {
        if (current) setState((previous) => (previous.key === key && previous.data === data ? previous : { key, data }));
      },
      (err: unknown) => {
        if (!current || controller.signal.aborted) return;
        const error = toApiError(err);
        if (error.status === 401) return;
        setState({ key, error });
      },
    );
    return () => {
      current = false;
      controller.abort();
    };
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || (state.data === undefined && state.error === undefined),
    reload,
  };
}

/** Calls `callback` once `delay` ms have passed without another call. */
export function useDebouncedCallback<A extends unknown[]>(
  callback: (...args: A) => void,
  delay: number,
): (...args: A) => void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const callbackRef = useRef(callback);
  callbackRef.current = callback;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(
    (...args: A) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => callbackRef.current(...args), delay);
    },
    [delay],
  );
}
