import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");

describe("README's Node.js requirement", () => {
  test("recommends Node 22 or 24, names package.json's engines minimum as still working, and explains npm's EBADENGINE warnings there", () => {
    const minimum = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node.replace(">=", "");
    const readme = read("README.md");
    const quickStart = readme.slice(
      readme.indexOf("## Quick start"),
      readme.indexOf("\n## ", readme.indexOf("## Quick start") + 1),
    );
    expect(quickStart).toContain("Node.js 22 or 24");
    expect(quickStart).toContain(`${minimum}+ still works`);
    expect(quickStart).toContain("CI runs every test on it");
    expect(quickStart).toMatch(/EBADENGINE[\s\S]*declare Node 22\+/);
  });
});
