import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startApp } from "../support/core.js";
import { copyKnowledge, tempDir } from "../support/temp.js";
import { browserTests, launchBrowser, reportBrowserSkip, SCREENSHOT_DIR } from "../support/browser.js";
import { addStaffAccount } from "../../src/staff/accounts.js";
import { hashPassword } from "../../src/staff/auth.js";
import { NEW_ISSUE, QUESTION } from "./new-issue.js";

reportBrowserSkip("self-service.browser");

describe.skipIf(!browserTests.enabled)("the monthly newsletter through /staff in a real browser", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let knowledge: ReturnType<typeof copyKnowledge>;
  let files: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    knowledge = copyKnowledge();
    files = tempDir();
    app = await startApp({ KNOWLEDGE_DIR: knowledge.dir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
    knowledge?.cleanup();
    files?.cleanup();
  });

  it("logs in, uploads the issue, checks the preview, publishes; the web chat answers from it; retired, it hands over", async () => {
    await addStaffAccount(app.core.store, "anna.becker");
    await app.core.store.setStaffPassword("anna.becker", await hashPassword("Moselschleife bei Saarburg"), false);
    const upload = join(files.dir, "2026-12-15-ausgabe-78-streuobst.html");
    writeFileSync(upload, NEW_ISSUE);
    const errors: string[] = [];
    const page = await browser.context.newPage();
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(`${app.baseUrl}/staff/wissen`);
    await page.getByLabel("Benutzername").fill("anna.becker");
    await page.getByLabel("Passwort").fill("Moselschleife bei Saarburg");
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page.waitForURL("**/staff/wissen");
    await page.getByLabel(/Datei \(HTML, PDF oder Markdown/).setInputFiles(upload);
    await page.getByRole("button", { name: "Vorschau anzeigen" }).click();
    await page.getByRole("heading", { name: /Vorschau/ }).waitFor();
    await expect(page.getByText("Förderung: Pflegeprämie für Streuobstwiesen").isVisible()).resolves.toBe(true);
    await expect(page.getByText(/Gefundene Beträge: .*25 Euro/).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "staff-wissen-vorschau.png"), fullPage: true });
    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await page.waitForURL("**/staff/wissen?hinweis=veroeffentlicht");
    await expect(page.getByText(/^Veröffentlicht\./).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "staff-wissen-liste.png"), fullPage: true });
    // The search box narrows the list to the rows with every word typed, and says how many.
    const rows = page.locator("table.entries tbody tr");
    const all = await rows.count();
    await page.getByLabel("Einträge durchsuchen").fill("nr. 78 dezember");
    const visible = page.locator("table.entries tbody tr:visible");
    await expect(visible.count()).resolves.toBe(1);
    await expect(visible.first().innerText()).resolves.toMatch(/Newsletter Nr\. 78/);
    await expect(page.locator("[data-filter-count]").innerText()).resolves.toBe(`1 von ${all} Zeilen (Einträge und Förderprogramme)`);
    // A word of a section heading finds the issue too (user test: "Winterdienst" found nothing).
    await page.getByLabel("Einträge durchsuchen").fill("streuobstwiesen");
    await expect(visible.filter({ hasText: "Newsletter Nr. 78" }).count()).resolves.toBe(1);
    await page.getByLabel("Einträge durchsuchen").fill("");
    await expect(visible.count()).resolves.toBe(all);
    // "Zurück" returns to the preview's own page, which says it is published (no "Erneut senden?").
    await page.goBack();
    await expect(page.getByRole("heading", { name: "Schon veröffentlicht" }).isVisible()).resolves.toBe(true);
    await page.goForward();

    // A mayor in the web chat, same running server, no restart.
    const chat = await browser.context.newPage();
    await chat.goto(`${app.baseUrl}/`);
    await chat.fill("#q", QUESTION);
    await chat.press("#q", "Enter");
    // The reply (its box carries the action), not the welcome text or the "Ortslotse schreibt …" line.
    const answer = chat.locator(".msg.bot:is(.answer, .handover, .smalltalk, .refuse)").last();
    await answer.waitFor();
    await expect(answer.innerText()).resolves.toMatch(/25 Euro/);
    await expect(answer.innerText()).resolves.toMatch(/Stand: Dezember 2026/);

    const row = page.locator("tr", { hasText: "Newsletter Nr. 78" });
    // Taking an issue out of the knowledge asks first.
    let asked = "";
    page.once("dialog", (d) => {
      asked = d.message();
      void d.accept();
    });
    await row.getByRole("button", { name: "Zurückziehen" }).click();
    await page.waitForURL(/\/staff\/wissen\?hinweis=zurueckgezogen/);
    expect(asked).toContain("aus dem Wissen nehmen?");
    await chat.fill("#q", QUESTION);
    await chat.press("#q", "Enter");
    await chat.locator(".msg.bot.handover").last().waitFor();
    expect(errors).toEqual([]);
  }, 90_000);
});
