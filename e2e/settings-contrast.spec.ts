import { expect, type Locator, test } from "@playwright/test";
import { shoot } from "./team";

/**
 * A button that can be pressed looks it, in dark mode too: the Settings page's Rename (a
 * secondary button on a settings card) was the card's own colour with a faint border, so
 * it read as disabled. Its edge must stand out from the card by WCAG 1.4.11's 3:1 and its
 * fill must differ from the card's. Photographed light and dark (test-results/screens/).
 */

/** The sRGB relative luminance of an element's computed `property` (any CSS colour, oklch too). */
async function luminance(target: Locator, property: "backgroundColor" | "borderTopColor"): Promise<number> {
  return target.evaluate((element, name) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("no canvas");
    context.fillStyle = getComputedStyle(element)[name];
    context.fillRect(0, 0, 1, 1);
    const [r, g, b] = Array.from(context.getImageData(0, 0, 1, 1).data).map((value) => {
      const c = value / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  }, property);
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

test("Settings' Rename looks pressable in dark mode: its edge stands out from the card 3:1, its fill differs", async ({
  page,
}) => {
  await page.goto("/settings");
  const rename = page.getByRole("button", { name: "Rename", exact: true });
  await expect(rename).toBeEnabled();
  const card = page.locator("section", { has: rename });
  await shoot(page, "settings-rename");
  await page.emulateMedia({ colorScheme: "dark" });
  // the colours ease into the scheme (transition-colors): read them once they are there
  await rename.evaluate((element) => Promise.all(element.getAnimations().map((animation) => animation.finished)));
  const cardFill = await luminance(card, "backgroundColor");
  expect(contrast(await luminance(rename, "borderTopColor"), cardFill)).toBeGreaterThanOrEqual(3);
  expect(contrast(await luminance(rename, "backgroundColor"), cardFill)).toBeGreaterThan(1.1);
  await expect(rename).toHaveCSS("opacity", "1");
});
