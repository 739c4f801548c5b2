/** Calls a real route handler the way Next.js does, with a Request and its params. */
export async function callRoute<P extends Record<string, string>>(
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  {
    method = "GET",
    path = "/",
    params,
    body,
    rawBody,
    headers = {},
  }: {
    method?: string;
    path?: string;
    params?: P;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  },
): Promise<{ status: number; json: any; response: Response }> {
  const request = new Request(`http://localhost${path}`, {
    method,
    headers: {
      ...(body === undefined && rawBody === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const response = await handler(request, { params: Promise.resolve(params as P) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, response };
}
