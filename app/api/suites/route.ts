import { workspaceRoute } from "@/lib/http/route";
import { BUILTIN_SUITE } from "@/lib/suites/builtin";

/** The built-in suite's tasks (without their hidden tests). */
export const GET = workspaceRoute("sessions:read", async () => {
  const tasks = BUILTIN_SUITE.tasks.map(({ id, title, language, prompt }) => ({ id, title, language, prompt }));
  return Response.json({ suites: [{ id: BUILTIN_SUITE.id, name: BUILTIN_SUITE.name, tasks }] });
});
