import { accountOf } from "@/lib/auth/account";
import { workspaceRoute } from "@/lib/http/route";

/** Who the caller is, the workspace they act in, and every workspace they belong to (the header's menu and switcher). */
export const GET = workspaceRoute("sessions:read", async (_request, { caller }) =>
  Response.json(await accountOf(caller)),
);
