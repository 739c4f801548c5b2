"use client";

import { useRouter } from "next/navigation";
import type { ComponentProps, MouseEvent } from "react";

/** What of a click on a link decides whether the browser keeps it (DOM MouseEvent fields). */
export type LinkClick = Pick<MouseEvent, "button" | "metaKey" | "ctrlKey" | "shiftKey" | "altKey" | "defaultPrevented">;

/**
 * Whether a click on a link is the browser's to follow: another button than the main one
 * (`button` 0), a modifier key (a new tab or window, a download), or a click a handler has
 * already taken (`defaultPrevented`), or a link whose `target` is another window. The
 * same test next/link makes.
 */
export function browserFollows(click: LinkClick, target?: string): boolean {
  return (
    click.defaultPrevented ||
    click.button !== 0 ||
    click.metaKey ||
    click.ctrlKey ||
    click.shiftKey ||
    click.altKey ||
    (target !== undefined && target !== "_self")
  );
}

/**
 * A link to one of the app's pages (`href` a path), followed as next/link with
 * `prefetch={false}` follows it: a plain click goes through the app router
 * (`useRouter().push`, which next/link's click calls too: no page reload, the layout and
 * its header stay, the page scrolls to the top), any other click is the browser's
 * (`browserFollows`), and nothing is prefetched. For the app header and the not-found
 * page, which every page's first JavaScript holds: next/link brings about 1.5 KiB (gzip)
 * of code for its prefetching and `href` objects that these links do not use. A page's
 * own links, in its own chunks, stay next/link.
 */
export function AppLink({ href, onClick, ...rest }: ComponentProps<"a"> & { href: string }) {
  const router = useRouter();
  return (
    <a
      href={href}
      {...rest}
      onClick={(event) => {
        onClick?.(event);
        if (browserFollows(event, rest.target)) return;
        event.preventDefault();
        router.push(href);
      }}
    />
  );
}
