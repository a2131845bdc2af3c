import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTests, launchBrowser, reportBrowserSkip, SCREENSHOT_DIR } from "../../support/browser.js";
import { startApp } from "../../support/core.js";
import { webSessionId } from "../../support/web-session.js";

reportBrowserSkip("chat.browser");

describe.skipIf(!browserTests.enabled)("web chat in a real browser", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it("answers with sources, takes a thumbs-up, hands over an uncovered question and shows the staff answer", async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(app.baseUrl + "/");
    await expect(page.title()).resolves.toMatch(/Ortslotse/);

    await page.fill("#q", "Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt?");
    await page.press("#q", "Enter");
    const answer = page.locator(".msg.bot.answer").first();
    await answer.waitFor();
    await expect(answer.innerText()).resolves.toMatch(/Unfallkasse Rheinland-Pfalz/);
    const link = answer.locator(".sources a").first();
    await expect(link.getAttribute("href")).resolves.toBe("https://www.ukrlp.de/");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/web-chat-answer.png`, fullPage: true });

    // Every button under an answer is big enough for a thumb at 390 px (a user test measured 26–35 px).
    for (const b of await answer.locator("button").all()) {
      const box = (await b.boundingBox())!;
      expect(Math.min(box.width, box.height), await b.innerText()).toBeGreaterThanOrEqual(44);
    }
    await answer.getByRole("button", { name: /Hilfreich/ }).click();
    await page.locator(".msg.bot", { hasText: "Danke für Ihre Rückmeldung" }).waitFor();
    // One thumb per answer; handing it over to the team stays possible after a thumbs-up.
    await expect(answer.getByRole("button", { name: /Nicht hilfreich/ }).isDisabled()).resolves.toBe(true);
    await expect(answer.getByRole("button", { name: "An das Team weitergeben" }).isEnabled()).resolves.toBe(true);
    const turns = await app.core.store.recentTurns("web", webSessionId((await page.context().cookies()).find((c) => c.name === "ortslotse_chat")!.value), 5);
    expect(turns.find((t) => t.action === "answer")!.feedback).toBe(1);

    await page.fill("#q", "Welche Windkraftanlagen sind in der VG Ruwer geplant?");
    await page.click("#send");
    const handed = page.locator(".msg.bot.handover").first();
    await handed.waitFor();
    const ticketId = Number(/Vorgangsnummer: (\d+)/.exec(await handed.innerText())![1]);
    // The web chat asks who is asking, so staff can call back.
    for (const el of await handed.locator("form.contact input, form.contact button").all()) expect((await el.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await handed.locator("input[name=name]").fill("Erika Beispiel");
    await handed.locator("input[name=village]").fill("Mustergemeinde");
    await handed.locator("input[name=reach]").fill("06581 12345");
    await handed.getByRole("button", { name: "Angaben senden" }).click();
    await page.locator(".msg.bot", { hasText: "Das Team sieht jetzt bei Vorgang" }).waitFor();
    const withContact = await app.core.store.getTicket(ticketId);
    expect(withContact).toMatchObject({ userName: "Erika Beispiel", village: "Mustergemeinde" });
    expect(withContact!.messages.map((m) => m.text)).toContain("Erreichbar unter: 06581 12345");
    const delivered = await app.core.handover.answer(ticketId, "Frau Schuh", "Dazu liegen uns keine Pläne vor. Bitte fragen Sie bei der VG Ruwer nach.");
    expect(delivered.delivered).toBe(true);
    await page.locator(".msg.bot.staff", { hasText: "Dazu liegen uns keine Pläne vor" }).waitFor({ timeout: 15_000 });
    await expect(page.locator(".msg.bot.staff").innerText()).resolves.toMatch(new RegExp(`Anfrage Nr. ${ticketId}`));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/web-chat-handover.png`, fullPage: true });

    // A reload keeps the conversation, with the team's answer under the question it answers (once).
    await page.reload();
    await page.locator(".msg.me", { hasText: "Windkraftanlagen" }).waitFor();
    const all = await page.locator(".msg").allInnerTexts();
    const q = all.findIndex((t) => t.includes("Windkraftanlagen sind in der VG Ruwer"));
    const staff = all.findIndex((t) => t.includes("Dazu liegen uns keine Pläne vor"));
    expect(q).toBeGreaterThan(0);
    expect(staff).toBeGreaterThan(q);
    expect(all.filter((t) => t.includes("Dazu liegen uns keine Pläne vor"))).toHaveLength(1);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/web-chat-reload.png`, fullPage: true });

    // Two questions later the team's answer is far up: after a reload a line at the end leads to it.
    for (const text of ["Wie hoch ist die Ehrenamtspauschale?", "Was ist die Ehrenamtskarte?"]) {
      await page.fill("#q", text);
      await page.press("#q", "Enter");
      await page.locator(".msg.me", { hasText: text }).locator("xpath=following-sibling::div[contains(@class,'bot')]").first().waitFor();
    }
    await page.reload();
    const jump = page.locator(".msg.note").getByRole("button", { name: `Anfrage Nr. ${ticketId}` });
    await jump.waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/web-chat-team-answer-above.png` });
    await jump.click();
    // Scrolled to its start; the browser may stop a fraction of a pixel off.
    await expect.poll(() => page.locator(".msg.bot.staff").evaluate((e) => { const r = e.getBoundingClientRect(); return r.top > -1 && r.top < window.innerHeight; })).toBe(true);
    expect(errors).toEqual([]);
  });

  it("keeps the contact form when its details are turned down, and a hand-over's hints keep their heading after a reload", async () => {
    // A new session: its first Vorgang asks for the details.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(app.baseUrl + "/");
    await page.fill("#q", "Wie viel kostet ein Bürgerbus im Jahr?");
    await page.press("#q", "Enter");
    const handed = page.locator(".msg.bot.handover").first();
    await handed.waitFor();
    await expect(handed.locator(".sources strong").innerText()).resolves.toMatch(/^Vielleicht hilft das schon/);
    await handed.locator("input[name=name]").fill("   ");
    await handed.locator("input[name=village]").fill("Kell am See");
    await handed.getByRole("button", { name: "Angaben senden" }).click();
    await page.locator(".msg.bot", { hasText: "Bitte geben Sie Ihren Namen und Ihre Ortsgemeinde an." }).waitFor();
    await expect(handed.locator("input[name=village]").inputValue()).resolves.toBe("Kell am See");
    await expect(handed.getByRole("button", { name: "Angaben senden" }).isEnabled()).resolves.toBe(true);
    await page.reload();
    const again = page.locator(".msg.bot.handover").first();
    await again.waitFor();
    await expect(again.locator(".sources strong").innerText()).resolves.toMatch(/^Vielleicht hilft das schon/);
    // A second Vorgang while the first has no details: one form on the page, not one per question (user test).
    await page.fill("#q", "Welche Windkraftanlagen sind in der VG Ruwer geplant?");
    await page.press("#q", "Enter");
    await page.locator(".msg.bot.handover").nth(1).waitFor();
    await expect(page.locator("form.contact").count()).resolves.toBe(1);
    await expect(page.locator(".msg.bot.handover").nth(1).locator("form.contact").count()).resolves.toBe(1);
    await page.close();
  });

  it("offers 'Meine Daten' and 'Löschen' (with a confirmation) in the chat", async () => {
    const page = await browser.context.newPage();
    page.on("dialog", (d) => void d.accept());
    await page.goto(app.baseUrl + "/");
    await page.fill("#q", "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?");
    await page.press("#q", "Enter");
    await page.locator(".msg.bot.answer").first().waitFor();
    // The cookie is "id.signature"; the id is what the store keys the person's data by.
    const cookie = (await page.context().cookies()).find((c) => c.name === "ortslotse_chat")!.value;
    const session = webSessionId(cookie);
    expect(session).toMatch(/^[0-9a-f]{32}$/);
    const asked = async () => (await app.core.store.exportUserData("web", session)).turns.filter((t) => !t.question.startsWith("/"));
    expect((await asked()).length).toBeGreaterThan(0);
    await page.click("#mydata");
    const summary = page.locator(".msg.bot", { hasText: "Das ist über Sie gespeichert" });
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toContain("Sind Helfer bei Arbeitseinsätzen");
    await page.click("#erase");
    await page.locator(".msg.bot", { hasText: "Erledigt:" }).waitFor();
    expect(await asked()).toEqual([]);
    // Only the welcome and the confirmation are left on the screen.
    await expect(page.locator("#log .msg").allInnerTexts()).resolves.toEqual([expect.stringMatching(/^Guten Tag!/), expect.stringMatching(/^Erledigt:/)]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/web-chat-my-data.png`, fullPage: true });
  });

  it("shows 'Ortslotse schreibt …' while an answer is on its way; the placeholder fits a phone; /datenschutz is a page with the way back", async () => {
    const page = await browser.context.newPage();
    await page.goto(app.baseUrl + "/");
    // The placeholder is not cut off at 390 px.
    const fits = await page.$eval("#q", (t) => {
      const el = t as HTMLTextAreaElement;
      const cs = getComputedStyle(el);
      const ph = getComputedStyle(el, "::placeholder");
      // The placeholder wraps like text in the box: it must fit the box's height, not be cut off.
      const probe = document.createElement("div");
      probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre-wrap;width:${el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)}px;font-family:${cs.fontFamily};font-size:${ph.fontSize};line-height:${cs.lineHeight}`;
      probe.textContent = el.placeholder;
      document.body.appendChild(probe);
      const h = probe.getBoundingClientRect().height;
      probe.remove();
      return h <= el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom) + 1;
    });
    expect(fits).toBe(true);
    // Slow the answer down so the indicator can be seen.
    await page.route("**/api/chat", async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await page.fill("#q", "Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt?");
    await page.press("#q", "Enter");
    const typing = page.locator(".msg.typing");
    await typing.waitFor();
    await expect(typing.innerText()).resolves.toMatch(/Ortslotse schreibt/);
    await page.locator(".msg.bot.answer").waitFor();
    await expect(typing.count()).resolves.toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/web-chat-phone.png`, fullPage: true });

    await page.getByRole("link", { name: "Datenschutz" }).click();
    await page.getByRole("heading", { name: /Datenschutz/ }).waitFor();
    // It names the buttons the web chat has, not the chat commands of Telegram.
    const privacy = await page.locator("body").innerText();
    expect(privacy).toContain("„Meine Daten“");
    expect(privacy).not.toContain("/loeschen");
    await page.getByRole("link", { name: /Zurück zum Chat/ }).first().click();
    await page.locator("#q").waitFor();
    // The next test starts as a new visitor.
    await browser.context.clearCookies();
    await page.close();
  });

  it("links a newsletter source to the issue's own page, which shows its sections and original links", async () => {
    const res = await fetch(`${app.baseUrl}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "Braucht ein Bürgerbus eine Genehmigung nach dem Personenbeförderungsgesetz?" }) });
    const reply = (await res.json()) as { sources: { id: string; url?: string }[] };
    const nl = reply.sources.find((x) => x.id.startsWith("nl-"));
    expect(nl, JSON.stringify(reply.sources)).toBeDefined();
    expect(nl!.url).toMatch(/^\/newsletter\/\d+$/);
    const page = await browser.context.newPage();
    await page.goto(app.baseUrl + nl!.url);
    await expect(page.locator("h1").innerText()).resolves.toMatch(/Newsletter Nr\. 9/);
    expect(await page.locator("section h2").count()).toBeGreaterThan(1);
    expect(await page.locator("section a[href^='https://']").count()).toBeGreaterThan(0);
    await page.getByRole("link", { name: /Zum Chat/ }).click();
    await page.locator("#q").waitFor();
    expect((await fetch(`${app.baseUrl}/newsletter/9999`)).status).toBe(404);
    await browser.context.clearCookies();
    await page.close();
  });

  it("escapes HTML typed by the user", async () => {
    const page = await browser.context.newPage();
    let dialog = false;
    page.on("dialog", async (d) => {
      dialog = true;
      await d.dismiss();
    });
    await page.goto(app.baseUrl + "/");
    await page.fill("#q", '<img src=x onerror="alert(1)"> Dorfladen Rechtsform?');
    await page.press("#q", "Enter");
    await page.locator(".msg.bot").nth(1).waitFor();
    await expect(page.locator(".msg.me").innerText()).resolves.toContain("<img src=x");
    expect(await page.locator(".msg.me img").count()).toBe(0);
    expect(dialog).toBe(false);
  });

  it("marks an answer with a handed-over part like a hand-over, also after a reload; the privacy link is big enough for a thumb", async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(app.baseUrl + "/");
    const privacy = (await page.locator(".hint a", { hasText: "Datenschutz" }).boundingBox())!;
    expect(privacy.height).toBeGreaterThanOrEqual(44);
    await page.fill("#q", "Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt? Und welche Windkraftanlagen sind in der VG Ruwer geplant?");
    await page.press("#q", "Enter");
    // User test: the part handed over stood inside an answer that looked wholly answered.
    const mixed = page.locator(".msg.bot.answer.part").first();
    await mixed.waitFor();
    await expect(mixed.innerText()).resolves.toMatch(/Vorgangsnummer: \d+/);
    const orange = (l: typeof mixed) => l.evaluate((e) => getComputedStyle(e).borderLeftColor);
    await expect(orange(mixed)).resolves.toBe("rgb(199, 119, 0)");
    await page.reload();
    const again = page.locator(".msg.bot.answer.part").first();
    await again.waitFor();
    await expect(orange(again)).resolves.toBe("rgb(199, 119, 0)");
    // A plain answer keeps its plain border.
    await page.fill("#q", "Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt?");
    await page.press("#q", "Enter");
    await page.locator(".msg.bot.answer:not(.part)").first().waitFor();
    await expect(page.locator(".msg.bot.answer:not(.part)").first().evaluate((e) => getComputedStyle(e).borderLeftColor)).resolves.not.toBe("rgb(199, 119, 0)");
    await browser.context.clearCookies();
  });
});
