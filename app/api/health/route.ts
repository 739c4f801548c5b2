import { getDatabase } from "@/lib/db/client";
import { publicRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => {
  try {
    const db = await getDatabase();
    await db.ping();
    return Response.json({ ok: true, database: db.kind, migrations: db.migrations });
  } catch (error) {
    console.error("[health]", error);
    const reason = error instanceof Error ? error.message : String(error);
    return Response.json(
      { ok: false, error: { code: "unavailable:database", message: `The database can't be reached: ${reason}` } },
      { status: 503 },
    );
  }
});
