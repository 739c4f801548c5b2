import { z } from "zod";
import { stepId } from "@/lib/http/input";
import type { PresenceBody } from "@/lib/wire/presence";

export const presenceBody = z.object({
  viewerId: z.uuid("viewerId must be the UUID this tab sent as ?viewer= on its event stream"),
  stepId: stepId("stepId").nullable(),
}) satisfies z.ZodType<PresenceBody>;
