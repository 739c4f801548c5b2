import { getDatabase } from "@/lib/db/client";
import { databaseFailure } from "@/lib/db/failure";
import { env } from "@/lib/env";
import { publicRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Whether the app can reach its database. Public, so a failure answers a generic sentence:
 * the driver's message can name the host, the user or quote the connection string. The
 * details go to the server's log, without the connection string's user and password.
 */
/** DATABASE_URL, or undefined when the environment itself is what failed (EnvError names variables only). */
function databaseUrl(): string | undefined {
  try {
    return env().DATABASE_URL;
  } catch {
    return undefined;
  }
}

export const GET = publicRoute(async () => {
  try {
    const db = await getDatabase();
    await db.ping();
    return Response.json({ ok: true, database: db.kind, migrations: db.migrations });
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
