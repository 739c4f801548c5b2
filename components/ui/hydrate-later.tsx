"use client";

import { type ComponentType, type ReactNode, Suspense, use, useEffect, useMemo, useRef, useState } from "react";

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

/**
 * Clicks on the nodes inside `region` before its code works, kept for later: React cannot
 * take them (a click on a dehydrated Suspense boundary makes it try to hydrate the boundary
 * at once; ours suspends on the missing code, so React stops the click and drops it: no
 * replay of discrete events since React 18). Each is stopped on the window, before React's
 * listener on the document and before its default action (a checkbox's toggle, a form's
 * submit), and `release` clicks the same node again, in order, once React handles it.
 * A click on a link is left to the browser, as it was.
 */
function heldClicks(region: { current: Element | null }) {
  const held: MouseEvent[] = [];
  let holding = true;
  return {
    hold(event: MouseEvent) {
      const target = event.target as Element;
      // A link needs no code to follow; held it would wait for the code.
      if (!holding || !region.current?.contains(target) || target.closest?.("a[href]")) return;
      event.preventDefault();
      event.stopPropagation();
      held.push(event);
    },
    /** Stops holding and clicks again, with the same coordinates and keys, each held click's node still on the page. */
    release() {
      holding = false;
      for (const event of held.splice(0)) {
        if ((event.target as Node).isConnected) event.target?.dispatchEvent(new MouseEvent("click", event));
      }
    },
  };
}

function Loaded<P extends object>({
  code,
  props,
  live,
  onLive,
}: {
  code: LaterCode<P>;
  props: P;
  live: boolean;
  onLive: () => void;
}) {
  const Component = use(code());
  useEffect(() => {
    if (live) onLive();
  }, [live, onLive]);
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
 *
 * A click on the server HTML before then (Share, Run right after the page loads) is held
 * and clicked again once the component has rendered with the newest props (heldClicks).
 * The component sits in a `display: contents` element, there to tell those clicks apart.
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
  const region = useRef<HTMLDivElement>(null);
  const [clicks] = useState(() => heldClicks(region));
  useEffect(() => {
    addEventListener("click", clicks.hold, true);
    return () => removeEventListener("click", clicks.hold, true);
  }, [clicks]);
  useEffect(() => {
    let mounted = true;
    // A failed load reaches the boundary through Loaded's use(); its error UI takes clicks.
    code().then(
      () => mounted && setArrived(true),
      () => clicks.release(),
    );
    return () => {
      mounted = false;
    };
  }, [code, clicks]);
  const shown = arrived ? props : first;
  // The same element while the code is on its way, so React leaves the boundary alone.
  return useMemo(
    () => (
      <div ref={region} className="contents">
        <Suspense fallback={fallback}>
          <Loaded code={code} props={shown} live={arrived} onLive={clicks.release} />
        </Suspense>
      </div>
    ),
    [code, shown, fallback, arrived, clicks],
  );
}
