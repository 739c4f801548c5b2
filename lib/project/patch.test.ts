import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { unzipSync } from "fflate";
import { afterEach, expect, test } from "vitest";
import { addFile, newIntake } from "./intake";
import { projectPatch } from "./patch";
import { zipProject } from "./zip";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repoWith(files: ReadonlyMap<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "interleave-patch-"));
  dirs.push(dir);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

const before = new Map([
  ["src/sum.ts", "export function sum(a, b) {\n  return a + b;\n}\n"],
  ["README.md", "# Sum\n\nAdds numbers.\n"],
  ["notes.txt", "no newline at end"],
  ["unchanged.txt", "same\n"],
]);
const after = new Map([
  ["src/sum.ts", "export function sum(a: number, b: number): number {\n  return a + b;\n}\n"],
  ["README.md", "# Sum\n\nAdds numbers.\n"],
  ["notes.txt", "no newline at end, still"],
  ["unchanged.txt", "same\n"],
  ["src/sum.test.ts", 'import { sum } from "./sum";\ntest("adds", () => expect(sum(1, 2)).toBe(3));\n'],
  ["empty.txt", ""],
  ["dir with space/ünïcode.md", "hello\n"],
]);

test("git apply takes the patch and the repository ends up with the branch's files", () => {
  const patch = projectPatch(before, after);
  expect(patch).toContain("diff --git a/src/sum.test.ts b/src/sum.test.ts\nnew file mode 100644\n--- /dev/null");
  expect(patch).not.toContain("unchanged.txt");
  const dir = repoWith(before);
  writeFileSync(join(dir, "change.patch"), patch);
  execFileSync("git", ["apply", "--check", "change.patch"], { cwd: dir });
  execFileSync("git", ["apply", "change.patch"], { cwd: dir });
  for (const [path, content] of after) expect(readFileSync(join(dir, path), "utf8")).toBe(content);
});

test("no changes → an empty patch; a removed file is a deletion git applies", () => {
  expect(projectPatch(before, before)).toBe("");
  const fewer = new Map(before);
  fewer.delete("README.md");
  const dir = repoWith(before);
  writeFileSync(join(dir, "rm.patch"), projectPatch(before, fewer));
  execFileSync("git", ["apply", "rm.patch"], { cwd: dir });
  expect(() => readFileSync(join(dir, "README.md"))).toThrow();
});

test("the zip holds exactly the files, the same archive every time", () => {
  const zip = zipProject(after);
  const out = unzipSync(zip);
  const text = Object.fromEntries(Object.entries(out).map(([path, bytes]) => [path, new TextDecoder().decode(bytes)]));
  expect(text).toEqual(Object.fromEntries(after));
  expect(zipProject(after)).toEqual(zip);
});

test("patch -p1 takes changes to files whose paths hold spaces (a tab ends the name, as git writes it)", () => {
  const start = new Map([["my notes/to do.md", "- milk\n"]]);
  const end = new Map([
    ["my notes/to do.md", "- milk\n- eggs\n"],
    ["new folder/a b.ts", "export {};\n"],
  ]);
  const dir = repoWith(start);
  writeFileSync(join(dir, "change.patch"), projectPatch(start, end));
  execFileSync("patch", ["-p1", "-s", "-i", "change.patch"], { cwd: dir, stdio: "pipe" });
  for (const [path, content] of end) expect(readFileSync(join(dir, path), "utf8")).toBe(content);
  execFileSync("git", ["apply", "--check", "-R", "change.patch"], { cwd: dir });
});

test("a file that starts with a byte-order mark: its first lines' patch applies to the file as uploaded", () => {
  const uploaded = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("using System;\nclass A {}\n")]);
  const intake = newIntake({ maxBytes: 1024, maxFiles: 10 });
  addFile(intake, "A.cs", uploaded);
  const start = intake.files;
  const end = new Map([["A.cs", `${start.get("A.cs")?.replace("class A {}", "class A { int x; }")}`]]);
  const patch = projectPatch(start, end);
  for (const tool of [
    ["git", "apply"],
    ["patch", "-p1", "-s", "-i"],
  ] as const) {
    const dir = repoWith(new Map([["A.cs", uploaded]]));
    writeFileSync(join(dir, "change.patch"), patch);
    execFileSync(tool[0], [...tool.slice(1), "change.patch"], { cwd: dir, stdio: "pipe" });
    expect(readFileSync(join(dir, "A.cs"))).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("using System;\nclass A { int x; }\n")]),
    );
  }
});
