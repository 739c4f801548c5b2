import { publicRoute } from "@/lib/http/route";
import { metrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => {
  const perStep = (count: number) => (metrics.stepsCreated ? count / metrics.stepsCreated : 0);
  return Response.json({
    ...metrics,
    rowWritesPerStep: perStep(metrics.stepRowWrites),
    statementsPerStep: perStep(metrics.stepStatements),
  });
});
