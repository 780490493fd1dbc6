import { useLayoutEffect, useReducer, useRef } from "react";

/**
 * A value kept outside the components (the router's state, the screen's width, whether data is
 * loading), read in render and followed from the moment the component is on the page.
 *
 * Like React's `useSyncExternalStore`, but it subscribes as the render is committed rather than
 * after the next frame (Preact's compatible version subscribes in a passive effect). A change in
 * between, such as the first screen's code arriving just after the loading frame rendered, then
 * shows in the next render rather than after a frame has been painted (docs/performance.md,
 * "Where the first screen's time goes").
 *
 * `subscribe` and `read` should be stable (defined outside the component), or it re-subscribes
 * on every render.
 */
export function useStore<T>(subscribe: (listener: () => void) => () => void, read: () => T): T {
  const value = read();
  const shown = useRef(value);
  shown.current = value;
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useLayoutEffect(() => {
    const check = () => {
      if (!Object.is(read(), shown.current)) rerender();
    };
    check(); // it changed between the render and now
    return subscribe(check);
  }, [subscribe, read]);
  return value;
}
