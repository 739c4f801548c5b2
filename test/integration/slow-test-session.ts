import * as testRuns from "@/app/api/sessions/[id]/test-runs/route";
import * as sessions from "@/app/api/sessions/route";
import { callRoute } from "../api";
import { asTestUser } from "../auth";

/**
 * A session of the test user that starts from one Python test taking 1.5 s (`test_slow.py`),
 * and `run()`: the person's Run tests at its task step, as POST …/test-runs answers it.
 */
export async function slowTestSession() {
  const body = new FormData();
  body.set("task", "Slow tests");
  body.append("file", new Blob(["import time\n\n\ndef test_slow():\n    time.sleep(1.5)\n"]), "test_slow.py");
  body.append("path", "test_slow.py");
  const created = await sessions.POST(
    await asTestUser(new Request("http://localhost/api/sessions", { method: "POST", body })),
    undefined as never,
  );
  const { session } = (await created.json()) as { session: { id: string; activeLeafId: string } };
  const run = () =>
    callRoute(testRuns.POST, {
      method: "POST",
      params: { id: session.id },
      body: { afterStepId: session.activeLeafId },
    });
  return { session, run };
}
