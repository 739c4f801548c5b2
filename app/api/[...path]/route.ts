import { AppError } from "@/lib/http/errors";
import { quote } from "@/lib/http/input";
import { route } from "@/lib/http/route";

/** Any /api address no route serves: the JSON 404, not the HTML page, whatever the method. */
const notFound = route(async (request: Request) => {
  const { pathname } = new URL(request.url);
  throw new AppError("not_found:route", `There is no API at ${quote(pathname, 80)}. See docs/api.md.`);
});

export {
  notFound as DELETE,
  notFound as GET,
  notFound as OPTIONS,
  notFound as PATCH,
  notFound as POST,
  notFound as PUT,
};
