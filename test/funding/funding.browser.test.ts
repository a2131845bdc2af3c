import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTests, launchBrowser, reportBrowserSkip, SCREENSHOT_DIR } from "../support/browser.js";
import { startApp } from "../support/core.js";

reportBrowserSkip("funding.browser");

describe.skipIf(!browserTests.enabled)("Förder-Finder in the web chat (real browser, phone width)", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    app = await startApp({ KNOWLEDGE_DIR: "knowledge" });
    browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it("offers 'Wer stellt den Antrag?' as buttons under the list, also after a reload; a click narrows it", async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(app.baseUrl + "/");
    await page.fill("#q", "Gibt es Geld für einen Dorftreff?");
    await page.press("#q", "Enter");
    const list = page.locator(".msg.bot.answer").first();
    await list.waitFor();
    await expect(list.innerText()).resolves.toMatch(/Dorftreff und Gemeinschaftshaus/);
    // A list taller than the phone is shown from its start (the first programme), not scrolled to its end.
    await page.waitForTimeout(200);
    const box = await list.evaluate((e) => ({ top: e.getBoundingClientRect().top, height: e.getBoundingClientRect().height, view: window.innerHeight }));
    expect(box.height).toBeGreaterThan(box.view * 0.6);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeLessThan(box.view / 4);
    // A reload (the phone locked, the tab restored) brings the list back with its buttons while it still waits.
    await page.reload();
    const restored = page.locator(".msg.bot.answer", { hasText: "Dorftreff und Gemeinschaftshaus" }).first();
    await restored.waitFor();
    const verein = restored.locator(".choices button", { hasText: /^Verein$/ });
    await verein.click();
    await page.locator(".msg.me", { hasText: /^Verein$/ }).waitFor();
    const narrowed = page.locator(".msg.bot.answer", { hasText: "(Antrag: Verein)" });
    await narrowed.waitFor();
    await expect(restored.locator(".choices button").first().isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/web-chat-foerder-finder.png`, fullPage: true });
    // Answered, the question no longer waits: after another reload no list offers the buttons.
    await page.reload();
    await page.locator(".msg.bot.answer", { hasText: "(Antrag: Verein)" }).waitFor();
    await expect(page.locator(".choices button").count()).resolves.toBe(0);
    // The pressed button reads as its label in the restored conversation, not as the command it sent.
    await expect(page.locator(".msg.me", { hasText: /^Verein$/ }).count()).resolves.toBe(1);
    await expect(page.locator(".msg.me", { hasText: "/foerder" }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
