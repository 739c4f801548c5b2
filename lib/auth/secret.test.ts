import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { authSecret, SECRET_FILE } from "./secret";

describe("authSecret", () => {
  test("AUTH_SECRET wins and nothing is written", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "secret-"));
    expect(await authSecret({ configured: "x".repeat(40), dataDir })).toBe("x".repeat(40));
    await expect(stat(path.join(dataDir, SECRET_FILE))).rejects.toThrow();
  });

  test("unset: generated once, kept private under the data dir, the same after a restart", async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), "secret-")), "nested");
    const first = await authSecret({ dataDir });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await authSecret({ dataDir })).toBe(first);
    expect((await readFile(path.join(dataDir, SECRET_FILE), "utf8")).trim()).toBe(first);
    expect((await stat(path.join(dataDir, SECRET_FILE))).mode & 0o077).toBe(0);
  });

  test("two processes starting at once agree", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "secret-"));
    const [a, b] = await Promise.all([authSecret({ dataDir }), authSecret({ dataDir })]);
    expect(a).toBe(b);
  });

  test("a file cut short is an error, not a new secret that signs everyone out", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "secret-"));
    await writeFile(path.join(dataDir, SECRET_FILE), "short\n");
    await expect(authSecret({ dataDir })).rejects.toThrow(/fewer than 32/);
  });

  test("memory:// keeps a fresh one per process", async () => {
    expect(await authSecret({ dataDir: "memory://" })).not.toBe(await authSecret({ dataDir: "memory://" }));
  });
});
