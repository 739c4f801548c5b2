"use client";

import { type ComponentType, type ReactNode, Suspense, use, useEffect, useMemo, useState } from "react";

/** A component's code, fetched on the first call (a dynamic `import()`) and the same promise after. */
export type LaterCode<P> = () => Promise<ComponentType<P>>;

/** `load` once: the first call starts it, every call returns its promise. */
export function laterCode<P>(load: () => Promise<ComponentType<P>>): LaterCode<P> {
  let code: Promise<ComponentType<P>> | undefined;
  return () => {
    code ??= load();
    return code;
  };
}

function Loaded<P extends object>({ code, props }: { code: LaterCode<P>; props: P }) {
  const Component = use(code());
  return <Component {...props} />;
}

/**
 * Renders `code`'s component with `props`, its code not in the page's first JavaScript
 * yet its server HTML on screen, untouched, until that code arrives and React hydrates it.
 * The code is asked for when this first renders; `fallback` shows only where there is no
 * server HTML (a render in the browser before the code is here).
 *
 * Props given before the code has arrived are held back and the first ones rendered:
 * React cannot hydrate a boundary whose code is missing, and one that receives new props
 * meanwhile (an event from the stream, a new callback) is thrown away and rendered afresh
 * in the browser — its fallback on screen for that moment, focus and anything typed into
 * it lost. Once the code is here the newest props go through, and React hydrates the
 * server HTML before it applies them.
 */
export function HydrateLater<P extends object>({
  code,
  props,
  fallback = null,
}: {
  code: LaterCode<P>;
  props: P;
  fallback?: ReactNode;
}) {
  const [first] = useState(props);
  const [arrived, setArrived] = useState(false);
  useEffect(() => {
    let mounted = true;
    // A failed load reaches the boundary through Loaded's use(); nothing to do here.
    code().then(
      () => mounted && setArrived(true),
      () => {},
    );
    return () => {
      mounted = false;
    };
  }, [code]);
  const shown = arrived ? props : first;
  // The same element while the code is on its way, so React leaves the boundary alone.
  return useMemo(
    () => (
      <Suspense fallback={fallback}>
        <Loaded code={code} props={shown} />
      </Suspense>
    ),
    [code, shown, fallback],
  );
}
