import { testUserCookie } from "./auth";

/**
 * Calls a real route handler the way Next.js does, with a Request and its params, signed
 * in as this test file's user (test/auth.ts) unless `cookie` says otherwise (null: no
 * cookie at all, an anonymous request).
 */
export async function callRoute<P extends Record<string, string>>(
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  {
    method = "GET",
    path = "/",
    params,
    body,
    rawBody,
    cookie,
    headers = {},
  }: {
    method?: string;
    path?: string;
    params?: P;
    body?: unknown;
    rawBody?: string;
    cookie?: string | null;
    headers?: Record<string, string>;
  },
): Promise<{ status: number; json: any; response: Response }> {
  const sent = cookie === undefined ? await testUserCookie() : cookie;
  const request = new Request(`http://localhost${path}`, {
    method,
    headers: {
      ...(body === undefined && rawBody === undefined ? {} : { "content-type": "application/json" }),
      ...(sent ? { cookie: sent } : {}),
      ...headers,
    },
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const response = await handler(request, { params: Promise.resolve(params as P) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, response };
}
