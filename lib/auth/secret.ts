import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** The file under DATA_DIR that keeps a generated auth secret. */
export const SECRET_FILE = "auth-secret";

/**
 * The secret better-auth signs cookies with: AUTH_SECRET when set; else one generated
 * (32 random bytes, base64url) and kept in `<dataDir>/auth-secret` (mode 0600), so
 * sign-ins survive restarts with no configuration. A `memory://` data dir keeps it in
 * memory for the process. A file that is too short (edited by hand) is an error, not
 * silently replaced: that would sign everyone out.
 */
export async function authSecret({ configured, dataDir }: { configured?: string; dataDir: string }): Promise<string> {
  if (configured) return configured;
  const generated = () => randomBytes(32).toString("base64url");
  if (dataDir.startsWith("memory://")) return generated();
  const file = path.resolve(dataDir, SECRET_FILE);
  const existing = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (existing !== null) {
    const secret = existing.trim();
    if (secret.length < 32) throw new Error(`${file} holds fewer than 32 characters: delete it or set AUTH_SECRET.`);
    return secret;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const secret = generated();
  // "wx": two processes starting at once — the second one reads the first one's secret.
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return (await readFile(file, "utf8")).trim();
  }
}
