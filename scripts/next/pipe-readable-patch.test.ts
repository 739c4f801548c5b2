import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import { ORIGINAL, patchPipeReadable } from "./pipe-readable-patch";

const require = createRequire(import.meta.url);

describe("Next.js's response pipe (patched at install)", () => {
  test("the patch applies once, to the function's start, and says so when the code is not the one it knows", () => {
    const source = `export ${ORIGINAL}\n        await readable.pipeTo(writer);\n    } catch {}\n}`;
    const first = patchPipeReadable(source);
    expect(first.outcome).toBe("patched");
    const text = first.outcome === "patched" ? first.text : "";
    expect(text).toContain("readable[Symbol.for('interleave.pipeToNodeResponse')]");
    expect(text.indexOf("pipeItself(res, waitUntilForEnd)")).toBeLessThan(text.indexOf("readable.pipeTo"));
    expect(patchPipeReadable(text)).toEqual({ outcome: "already" });
    expect(patchPipeReadable("module.exports = {}")).toEqual({ outcome: "unknown" });
  });

  test("both installed copies carry it (the ESM one is what the production build bundles)", () => {
    for (const file of ["next/dist/server/pipe-readable.js", "next/dist/esm/server/pipe-readable.js"]) {
      expect(patchPipeReadable(readFileSync(require.resolve(file), "utf8"))).toEqual({ outcome: "already" });
    }
  });
});
