/**
 * A branch's changes as a unified diff in git's format (`diff --git`, `new file mode`,
 * `/dev/null` for created files), which `git apply` and `patch -p1` accept. Pure.
 */
import { formatPatch, type StructuredPatch, structuredPatch } from "diff";
import type { VirtualFiles } from "@/lib/steps/virtual-files";

/** Lines of unchanged context around each change, as git's default. */
const CONTEXT_LINES = 3;

/**
 * The diff that turns `before` into `after` (path → text), files in path order; "" when
 * nothing differs. The tools cannot delete files, but a file missing from `after` is
 * written as a deletion all the same.
 */
export function projectPatch(before: VirtualFiles, after: VirtualFiles): string {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const patches: StructuredPatch[] = [];
  for (const path of paths) {
    const old = before.get(path);
    const next = after.get(path);
    if (old === next) continue;
    const patch = structuredPatch(`a/${path}`, `b/${path}`, old ?? "", next ?? "", undefined, undefined, {
      context: CONTEXT_LINES,
    });
    if (old === undefined) {
      patches.push({ ...patch, oldFileName: "/dev/null", isGit: true, isCreate: true, newMode: "100644" });
    } else if (next === undefined) {
      patches.push({ ...patch, newFileName: "/dev/null", isGit: true, isDelete: true, oldMode: "100644" });
    } else {
      patches.push({ ...patch, isGit: true });
    }
  }
  return patches.map((patch) => tabAfterSpacedNames(formatPatch(patch))).join("\n");
}

/**
 * One file's diff with a tab after the `---`/`+++` names that hold whitespace, as git
 * writes them: `patch -p1` ends a name at the first space otherwise ("can't find file to
 * patch" for `a/my notes.txt`), while git apply reads the name either way.
 */
function tabAfterSpacedNames(fileDiff: string): string {
  const lines = fileDiff.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.startsWith("@@")) break;
    if ((line.startsWith("--- ") || line.startsWith("+++ ")) && /\s/.test(line.slice(4))) lines[i] = `${line}\t`;
  }
  return lines.join("\n");
}
