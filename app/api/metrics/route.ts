import { metrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({
    ...metrics,
    writesPerStep: metrics.stepsCreated ? metrics.stepWrites / metrics.stepsCreated : 0,
  });
}
