import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { StepMarkdown } from "./markdown";

const render = (text: string) => renderToStaticMarkup(createElement(StepMarkdown, { text }));

test("tables, strikethrough and task lists render as models write them", () => {
  const html = render("| operation | cost |\n|---|---|\n| `get` | O(1) |\n\n~~slow~~\n\n- [x] tests");
  expect(html).toContain("<table>");
  expect(html).toContain("<td><code>get</code></td>");
  expect(html).toContain("<del>slow</del>");
  expect(html).toContain('type="checkbox"');
});

test("model output cannot inject HTML or script", () => {
  const html = render('<img src=x onerror="alert(1)"> <script>alert(2)</script> [click](javascript:alert(3))');
  expect(html).not.toContain("<img");
  expect(html).not.toContain("<script");
  expect(html).not.toContain("javascript:");
});
