import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The impacts that fail a page. */
const BLOCKING = new Set(["serious", "critical"]);

/**
 * The accessibility bar every page is held to (e2e/a11y.spec.ts, e2e/mail.spec.ts): axe-core
 * finds no serious or critical violation of WCAG 2.1 A/AA, nor of axe's "label in name"
 * rule (a control's accessible name contains its visible text, WCAG 2.5.3), which axe ships
 * as experimental and so must be enabled by name. Monaco's own DOM is left out.
 */
export async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "experimental"])
    .exclude(".monaco-editor")
    .analyze();
  const blocking = results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ""))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(" ")} — ${node.failureSummary}`),
    }));
  expect(blocking, JSON.stringify(blocking, null, 2)).toEqual([]);
}
