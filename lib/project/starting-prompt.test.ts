import { expect, test } from "vitest";
import { INLINE_FILE_BYTES, INLINE_TOTAL_BYTES, LISTED_PATHS, startingFilesText } from "./starting-prompt";

test("no starting files → nothing is added to the task", () => {
  expect(startingFilesText(new Map())).toBe("");
});

test("small projects: the list and every file in full, fenced past the content's backticks", () => {
  const text = startingFilesText(
    new Map([
      ["src/a.ts", "export const a = 1;\n"],
      ["README.md", "Use ```code``` blocks"],
    ]),
  );
  expect(text).toContain("The project already has 2 files (41 B).");
  expect(text).toContain("- README.md (21 B)\n- src/a.ts (20 B)");
  expect(text).toContain("Small files, in full:");
  expect(text).toContain("```` README.md\nUse ```code``` blocks\n````");
  expect(text).toContain("``` src/a.ts\nexport const a = 1;\n```");
});

test("large projects stay small: big files only listed, a capped list, a capped inline budget", () => {
  const files = new Map<string, string>();
  for (let i = 0; i < 2000; i++) files.set(`src/m${String(i).padStart(4, "0")}.ts`, "x".repeat(10_000));
  for (let i = 0; i < 50; i++) files.set(`small/s${i}.ts`, "y".repeat(2000));
  const text = startingFilesText(files);
  expect(text).toContain(`- … and ${files.size - LISTED_PATHS} more (call list_files)`);
  expect(text).not.toContain("x".repeat(INLINE_FILE_BYTES));
  expect(text).toContain("(read the others with read_file)");
  expect(text.length).toBeLessThan(INLINE_TOTAL_BYTES + LISTED_PATHS * 40 + 2000);
});
