import type { Caller } from "@/lib/auth/scopes";
import { resolveCaller } from "@/lib/http/caller";
import { asTestUser } from "./auth";

/** The workspace this test file's user acts in (test/auth.ts): the scope data functions take. */
export async function testWorkspaceId(): Promise<string> {
  const caller = (await resolveCaller(await asTestUser(new Request("http://localhost/")))) as Caller;
  return caller.workspaceId;
}
