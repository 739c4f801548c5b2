import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { type GuardOptions, guard } from "@/lib/http/guard";
import { allowedHosts } from "@/lib/http/request-rules";

let options: GuardOptions | undefined;

/**
 * Runs before every request (Next.js 16's proxy, formerly middleware; no matcher, so
 * static files, pages and the API alike): Host, Origin and body-type rules, 405s, broken
 * %-escapes and the security headers, all in lib/http/guard.ts.
 */
export function proxy(request: NextRequest) {
  options ??= {
    allowedHosts: allowedHosts({ allowed: env().ALLOWED_HOSTS, listenHost: env().HOST }),
    dev: env().NODE_ENV === "development",
    guests: env().AUTH_GUESTS,
  };
  return guard(request, options);
}
