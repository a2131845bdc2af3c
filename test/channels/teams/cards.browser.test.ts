import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTests, launchBrowser, reportBrowserSkip, SCREENSHOT_DIR } from "../../support/browser.js";
import { makeCore } from "../../support/core.js";
import { answerCard, ticketCard } from "../../../src/channels/teams/cards.js";

reportBrowserSkip("cards.browser");

/** Microsoft's own Adaptive Cards renderer (the one Teams builds on), in a real browser. */
const RENDERER = readFileSync("node_modules/adaptivecards/dist/adaptivecards.js", "utf8");

interface Rendered {
  errors: string[];
  text: string;
}

describe.skipIf(!browserTests.enabled)("Teams cards through the Adaptive Cards renderer", () => {
  let core: Awaited<ReturnType<typeof makeCore>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    core = await makeCore();
    browser = await launchBrowser({ viewport: { width: 480, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await core?.cleanup();
  });

  async function render(card: unknown, shot: string): Promise<Rendered> {
    const page = await browser.context.newPage();
    await page.setContent(`<!doctype html><html lang="de"><body style="margin:0;padding:16px;background:#f5f5f5;font-family:'Segoe UI',sans-serif"><div id="card" style="width:420px;background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.2)"></div></body></html>`);
    await page.addScriptTag({ content: RENDERER });
    const out = await page.evaluate((json) => {
      const AC = (window as unknown as { AdaptiveCards: any }).AdaptiveCards;
      // Teams renders Markdown links in text blocks; the bare renderer needs to be told how.
      AC.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml?: string; didProcess: boolean }) => {
        const esc = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
        result.outputHtml = esc.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
        result.didProcess = true;
      };
      const card = new AC.AdaptiveCard();
      const context = new AC.SerializationContext();
      card.parse(json, context);
      const events = [...Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i)), ...card.validateProperties().validationEvents];
      const el = card.render();
      document.getElementById("card")!.appendChild(el);
      return { errors: events.filter((e: any) => e.phase !== undefined || e.event !== undefined).map((e: any) => e.message), text: el.innerText };
    }, card);
    await page.locator("#card").screenshot({ path: `${SCREENSHOT_DIR}/${shot}` });
    await page.close();
    return out;
  }

  it("renders an answer as Teams shows it after feedback: text, sources, the note, no schema errors", async () => {
    const reply = await core.assistant.ask({ channel: "teams", conversationId: "c1", userId: "u1", isGroup: false, text: "Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt?" });
    expect(reply.action).toBe("answer");
    const card = answerCard({ text: reply.text, sources: reply.sources, buttons: false, footer: "Danke für Ihre Rückmeldung!" });
    const r = await render(card.content, "teams-answer-card.png");
    expect(r.errors).toEqual([]);
    expect(r.text).toContain("Unfallkasse");
    expect(r.text).toContain("Quellen");
    expect(r.text).toContain("Danke für Ihre Rückmeldung!");
  });

  it("renders the staff card of a Vorgang with its buttons and answer field", async () => {
    const reply = await core.assistant.ask({ channel: "teams", conversationId: "c2", userId: "u2", userName: "Anna Beispiel", isGroup: false, text: "Ich möchte bitte mit jemandem sprechen" });
    expect(reply.ticket).toBeDefined();
    const ticket = (await core.store.getTicket(reply.ticket!.id))!;
    const r = await render(ticketCard(ticket).content, "teams-staff-card.png");
    expect(r.errors).toEqual([]);
    expect(r.text).toContain(`Vorgang Nr. ${ticket.id}`);
    expect(r.text).toContain("Anna Beispiel");
    // The question once, not again under "Weitere Nachrichten".
    expect(r.text.split("Ich möchte bitte mit jemandem sprechen")).toHaveLength(2);
    expect(r.text).not.toContain("Weitere Nachrichten");
  });
});
