/**
 * What went wrong reaching the database, as a line safe to log: the error's code (e.g.
 * `ECONNREFUSED`, PostgreSQL's `28P01`) and its message with `databaseUrl` — whole, and its
 * user and password on their own, raw or percent-decoded — replaced by `[redacted]`.
 * A driver's message can quote the connection string or name the user ("password
 * authentication failed for user …"); the host is kept, as it is what to check.
 * Pure. The API never answers with this, only with a generic sentence (app/api/health).
 */
export function databaseFailure(error: unknown, databaseUrl: string | undefined): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  let text = typeof message === "string" ? message : String(error);
  for (const secret of connectionSecrets(databaseUrl)) text = text.split(secret).join("[redacted]");
  return typeof code === "string" && code !== "" ? `${code}: ${text}` : text;
}

/** The parts of a connection URL that must not be logged, longest first (so the whole URL goes before its pieces). */
function connectionSecrets(databaseUrl: string | undefined): string[] {
  if (!databaseUrl) return [];
  const secrets = [databaseUrl];
  try {
    const url = new URL(databaseUrl);
    for (const part of [url.username, url.password]) {
      if (part) secrets.push(part, decode(part));
    }
  } catch {
    // not a URL: the whole string is all there is to hide
  }
  return [...new Set(secrets.filter((secret) => secret.length > 0))].sort((a, b) => b.length - a.length);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
