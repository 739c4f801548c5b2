/**
 * The typed API calls (./api.ts), fetched the first time they are asked for: for code in a
 * page's first JavaScript that calls the server only after the page is up. A module of its
 * own, so that only the pages whose code uses it carry the loader.
 */
export function loadApi(): Promise<typeof import("./api").api> {
  return import("./api").then((module) => module.api);
}
