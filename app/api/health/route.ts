import { getDatabase } from "@/lib/db/client";
import { databaseFailure } from "@/lib/db/failure";
import { env } from "@/lib/env";
import { publicRoute } from "@/lib/http/route";
import { projectLimits } from "@/lib/project/form";

export const dynamic = "force-dynamic";

/** DATABASE_URL, or undefined when the environment itself is what failed (EnvError names variables only). */
function databaseUrl(): string | undefined {
  try {
    return env().DATABASE_URL;
  } catch {
    return undefined;
  }
}

/**
 * Whether the app can reach its database: 200 `{ ok: true, database, migrations,
 * projectLimits }` — `database` "postgres" or "pglite" (the embedded one, which resumes no
 * run after a restart), `migrations` the number applied, `projectLimits` what a session may
 * start with (`maxBytes` of text, `maxFiles` files; PROJECT_MAX_BYTES / PROJECT_MAX_FILES),
 * so the CLI stops a too-large `--files` before reading it all. Nothing secret: no address,
 * name or version of the database. Public, so a failure answers a generic sentence (503
 * `unavailable:database`): the driver's message can name the host, the user or quote the
 * connection string. The details go to the server's log, without the connection string's
 * user and password.
 */
export const GET = publicRoute(async () => {
  try {
    const db = await getDatabase();
    await db.ping();
    return Response.json({ ok: true, database: db.kind, migrations: db.migrations, projectLimits: projectLimits() });
  } catch (error) {
    console.error(`[health] the database can't be reached: ${databaseFailure(error, databaseUrl())}`);
    return Response.json(
      {
        ok: false,
        error: {
          code: "unavailable:database",
          message: "The database can't be reached. The server's log says why.",
        },
      },
      { status: 503 },
    );
  }
});
