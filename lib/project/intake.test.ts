import { UnzipInflate, zipSync } from "fflate";
import { describe, expect, test, vi } from "vitest";
import { AppError } from "@/lib/http/errors";
import { addFile, addText, addZip, commonRootFolder, decodeText, newIntake } from "./intake";

const enc = (text: string) => new TextEncoder().encode(text);
const limits = { maxBytes: 1000, maxFiles: 5 };

function refusal(run: () => void): { status: number; code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("files and snippets", () => {
  test("paths are normalised; a later file with the same path replaces the earlier", () => {
    const intake = newIntake(limits);
    addFile(intake, "./src//a.ts", enc("one"));
    addFile(intake, "src\\b.ts", enc("two"));
    addText(intake, "src/x/../a.ts", "three");
    expect(Object.fromEntries(intake.files)).toEqual({ "src/a.ts": "three", "src/b.ts": "two" });
    expect(intake.bytes).toBe(8);
  });

  test("traversal and absolute paths are refused with a 400 that names the path", () => {
    for (const path of ["../etc/passwd", "a/../../b", "/etc/passwd", "C:/x.txt"]) {
      const error = refusal(() => addText(newIntake(limits), path, "x"));
      expect(error).toMatchObject({ status: 400, code: "bad_request:path" });
      expect(error.message).toContain(path);
      expect(error.message).toContain("Nothing was imported");
    }
  });

  test("binary files and dependency folders are skipped with a note", () => {
    const intake = newIntake(limits);
    addFile(intake, "logo.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    addFile(intake, "latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9]));
    addText(intake, "node_modules/x/index.js", "module.exports = 1");
    addText(intake, ".git/HEAD", "ref: refs/heads/main");
    addText(intake, "ok.ts", "fine");
    expect([...intake.files.keys()]).toEqual(["ok.ts"]);
    expect(intake.skipped.map((s) => s.path)).toEqual([
      "logo.png",
      "latin1.txt",
      "node_modules/x/index.js",
      ".git/HEAD",
    ]);
    expect(intake.skipped[0]?.reason).toMatch(/binary/);
    expect(intake.skipped[2]?.reason).toMatch(/node_modules/);
  });

  test("too many bytes or files → 413, counted in UTF-8 bytes", () => {
    const big = newIntake(limits);
    addText(big, "a.txt", "x".repeat(600));
    expect(refusal(() => addText(big, "b.txt", "é".repeat(201)))).toMatchObject({
      status: 413,
      code: "payload_too_large:project",
    });
    // replacing a file counts only the difference
    addText(big, "a.txt", "y".repeat(900));
    expect(big.bytes).toBe(900);

    const many = newIntake(limits);
    for (let i = 0; i < 5; i++) addText(many, `f${i}.ts`, "x");
    expect(refusal(() => addText(many, "f5.ts", "x")).message).toMatch(/more than 5 files/);
  });

  test("decodeText: UTF-8 text (its BOM kept, as on disk), null for binary", () => {
    expect(decodeText(enc("\ufeffhéllo"))).toBe("\ufeffhéllo");
    expect(decodeText(new Uint8Array([0xff, 0xfe]))).toBeNull();
    expect(decodeText(enc("a\u0000b"))).toBeNull();
    // past git's 8,000-byte sniff too: PostgreSQL's text can't hold a NUL anywhere
    expect(decodeText(enc(`${"x".repeat(9_000)}\u0000`))).toBeNull();
  });

  test("an empty path, or a bare slash, is refused with a readable sentence", () => {
    expect(refusal(() => addText(newIntake(limits), "", "x")).message).toBe(
      'Can\'t add "": path is empty; give a file path relative to the project root, e.g. src/index.ts. Nothing was imported.',
    );
    expect(refusal(() => addText(newIntake(limits), "/", "x")).message).toBe(
      'Can\'t add "/": it is an absolute path; give a path relative to the project root, e.g. src/index.ts. Nothing was imported.',
    );
  });

  test("a path PostgreSQL can't store, or a long bad one, is refused with a short quote", () => {
    expect(refusal(() => addText(newIntake(limits), "src/a\u0000.ts", "x"))).toMatchObject({
      status: 400,
      code: "bad_request:path",
      message: expect.stringMatching(/NUL/),
    });
    const long = refusal(() => addText(newIntake(limits), `/${"x".repeat(100_000)}`, "x"));
    expect(long.message).toMatch(/absolute path/);
    expect(long.message.length).toBeLessThan(300);
  });
});

describe("zip archives", () => {
  test("files come out with the one wrapping folder removed; folders and binaries left out", () => {
    const zip = zipSync({
      "project-main/": new Uint8Array(),
      "project-main/src/a.ts": enc("export const a = 1;\n"),
      "project-main/README.md": enc("# hi\n"),
      "project-main/img.bin": new Uint8Array([0, 0, 0]),
    });
    const intake = newIntake(limits);
    addZip(intake, zip);
    expect(Object.fromEntries(intake.files)).toEqual({ "src/a.ts": "export const a = 1;\n", "README.md": "# hi\n" });
    expect(intake.skipped).toEqual([{ path: "img.bin", reason: expect.stringMatching(/binary/) }]);
  });

  test("a zip bomb is refused by its expanded size, and stops inflating early", () => {
    // 50 MB of zeros in text form compresses to ~50 KB
    const bomb = zipSync({ "bomb.txt": new Uint8Array(50 * 1024 * 1024).fill(0x61) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    const inflate = vi.spyOn(UnzipInflate.prototype, "push");
    try {
      const error = refusal(() => addZip(newIntake({ maxBytes: 1024 * 1024, maxFiles: 10 }), bomb));
      expect(error).toMatchObject({ status: 413, code: "payload_too_large:project" });
      // early: the inflater got at most a few chunks of the compressed bytes, not the whole bomb
      const fed = inflate.mock.calls.reduce((sum, [chunk]) => sum + chunk.length, 0);
      expect(fed).toBeLessThan(bomb.length / 2);
    } finally {
      inflate.mockRestore();
    }
  });

  test("a bomb whose headers lie about its size is still stopped by what it inflates to", () => {
    const zip = zipSync({ "a.txt": new Uint8Array(5 * 1024 * 1024).fill(0x61) }, { level: 9 });
    // Patch the declared uncompressed size (local header offset 22, central header offset 24) to 10 bytes.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    view.setUint32(22, 10, true);
    const central = zip.findLastIndex((_, i) => i + 4 <= zip.length && view.getUint32(i, true) === 0x02014b50);
    view.setUint32(central + 24, 10, true);
    expect(refusal(() => addZip(newIntake({ maxBytes: 1024 * 1024, maxFiles: 10 }), zip)).status).toBe(413);
  });

  test("traversal inside a zip is refused (not hidden by removing a wrapping folder)", () => {
    const zip = zipSync({ "../evil.sh": enc("rm -rf /") });
    expect(refusal(() => addZip(newIntake(limits), zip))).toMatchObject({ status: 400, code: "bad_request:path" });
    const nested = zipSync({ "a/../../evil.sh": enc("x"), "a/ok.ts": enc("y") });
    expect(refusal(() => addZip(newIntake(limits), nested)).code).toBe("bad_request:path");
  });

  test("too many files in a zip → 413; something that is not a zip → 400", () => {
    const entries = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.ts`, enc("x")]));
    expect(refusal(() => addZip(newIntake(limits), zipSync(entries))).status).toBe(413);
    expect(refusal(() => addZip(newIntake(limits), enc("not a zip at all")))).toMatchObject({
      status: 400,
      code: "bad_request:zip",
    });
  });

  test("names in UTF-8 without the zip's UTF-8 flag (zip on Linux, macOS's Archive Utility) keep their letters", () => {
    // zipSync flags non-ASCII names as UTF-8, so the names go in as ASCII stand-ins of the
    // same byte length and their bytes are swapped for UTF-8 afterwards, flag left unset
    const names = { "proj/d__r/__n__.py": "proj/dïr/ünï.py", "proj/日本.md": "proj/日本.md" };
    const stand = { "proj/d__r/__n__.py": "proj/d__r/__n__.py", "proj/日本.md": "proj/JJJjjj.md" };
    const zip = zipSync(Object.fromEntries(Object.values(stand).map((name) => [name, enc("print(1)\n")])), {
      level: 0,
    });
    const bytes = Buffer.from(zip);
    for (const [key, standIn] of Object.entries(stand)) {
      const from = Buffer.from(standIn);
      const to = Buffer.from(names[key as keyof typeof names]);
      expect(to.length).toBe(from.length);
      for (let at = bytes.indexOf(from); at !== -1; at = bytes.indexOf(from, at + 1)) to.copy(bytes, at);
    }
    const intake = newIntake(limits);
    addZip(intake, new Uint8Array(bytes));
    expect([...intake.files.keys()].sort()).toEqual(["dïr/ünï.py", "日本.md"]);
  });

  test("a symbolic link in a zip is skipped with a note, not kept as a file holding its target's path", () => {
    const link = { os: 3, attrs: 0o120777 << 16 };
    const zip = zipSync({
      "app/src/a.ts": enc("export const a = 1;\n"),
      "app/current": [enc("src/a.ts"), link],
      "app/secret": [enc("/etc/passwd"), link],
    });
    const intake = newIntake({ maxBytes: 1000, maxFiles: 1 });
    addZip(intake, zip);
    expect(Object.fromEntries(intake.files)).toEqual({ "src/a.ts": "export const a = 1;\n" });
    expect(intake.skipped).toEqual([
      { path: "current", reason: expect.stringMatching(/^symbolic link/) },
      { path: "secret", reason: expect.stringMatching(/^symbolic link/) },
    ]);
  });

  test("node_modules/ and .git/ inside a zip are skipped without counting against the limits", () => {
    const entries: Record<string, Uint8Array> = { "app/src/a.ts": enc("export const a = 1;\n") };
    for (let i = 0; i < 20; i++) entries[`app/node_modules/pkg/f${i}.js`] = enc("x".repeat(200));
    entries["app/.git/objects/ab"] = enc("y".repeat(2000));
    const intake = newIntake(limits);
    addZip(intake, zipSync(entries));
    expect(Object.fromEntries(intake.files)).toEqual({ "src/a.ts": "export const a = 1;\n" });
    expect(intake.skipped).toHaveLength(21);
    expect(intake.skipped[0]).toEqual({
      path: "node_modules/pkg/f0.js",
      reason: expect.stringMatching(/node_modules/),
    });
  });

  test("binary files in a zip don't count against the text limit (they are skipped), up to twice it inflated", () => {
    const image = new Uint8Array(1500).fill(0);
    const intake = newIntake(limits);
    addZip(intake, zipSync({ "logo.png": image, "a.ts": enc("x") }));
    expect(Object.fromEntries(intake.files)).toEqual({ "a.ts": "x" });
    expect(intake.skipped).toEqual([{ path: "logo.png", reason: expect.stringMatching(/binary/) }]);
    const tooMuch = zipSync({ "logo.png": new Uint8Array(1024 * 1024 + 2001), "a.ts": enc("x") });
    expect(refusal(() => addZip(newIntake(limits), tooMuch))).toMatchObject({ status: 413 });
  });

  test("commonRootFolder", () => {
    expect(commonRootFolder(["p/a", "p/b/c"])).toBe("p/");
    expect(commonRootFolder(["p/a", "q/b"])).toBe("");
    expect(commonRootFolder(["a.ts"])).toBe("");
    expect(commonRootFolder([])).toBe("");
  });
});
