import { describe, expect, it } from "vitest";
import { escapeHtml, link, renderReply, splitHtml, TELEGRAM_MAX_CHARS } from "../../../src/channels/telegram/render.js";
import { MSG } from "../../../src/core/messages.js";
import type { Reply } from "../../../src/core/types.js";
import { parseTelegramHtml } from "../../support/telegram-api.js";

const visible = (html: string) => {
  const r = parseTelegramHtml(html);
  if ("error" in r) throw new Error(`${r.error}\n${html.slice(0, 200)}`);
  return r.text;
};

describe("Telegram HTML rendering", () => {
  it("escapes &, < and > and keeps everything else", () => {
    expect(escapeHtml("A & B <b>fett</b> > 3 „Zitat“")).toBe("A &amp; B &lt;b&gt;fett&lt;/b&gt; &gt; 3 „Zitat“");
  });

  it("makes links only from http(s) URLs and escapes quotes in them", () => {
    expect(link("Quelle", 'https://example.org/?a=1&b="x"')).toBe('<a href="https://example.org/?a=1&amp;b=%22x%22">Quelle</a>');
    expect(link("Böse", "javascript:alert(1)")).toBe("Böse");
  });

  it("renders a reply: italic Stand line and disclaimer, numbered source links, valid Telegram HTML", () => {
    const reply: Reply = {
      action: "answer",
      text: `Ja, <versichert> & gut.\n\n${MSG.standLine("März 2021")}\n\n${MSG.disclaimer}`,
      stand: "März 2021",
      disclaimer: MSG.disclaimer,
      sources: [
        { id: "a", kind: "faq", title: "FAQ: A & B", url: "https://a.example/", excerpt: "" },
        { id: "b", kind: "newsletter", title: "Ohne Link", excerpt: "" },
      ],
      confidence: 1,
      reasons: [],
      offerFeedback: true,
    };
    const html = renderReply(reply);
    expect(html).toContain("Ja, &lt;versichert&gt; &amp; gut.");
    expect(html).toContain(`<i>${escapeHtml(MSG.standLine("März 2021"))}</i>`);
    expect(html).toContain(`<i>${escapeHtml(MSG.disclaimer)}</i>`);
    expect(html).toContain('<b>Quellen:</b>\n1. <a href="https://a.example/">FAQ: A &amp; B</a>\n2. Ohne Link');
    expect(visible(html)).toContain("Ja, <versichert> & gut.");
    // Under a hand-over the entries are offered as possibly helpful, not as the answer's sources.
    const handedOver = renderReply({ ...reply, action: "handover", text: "Weitergegeben.", stand: undefined, disclaimer: undefined });
    expect(handedOver).toContain(`<b>${escapeHtml(MSG.sourcesHeading("handover"))}</b>\n1.`);
    expect(handedOver).not.toContain("Quellen");
  });

  it("leaves short messages whole", () => {
    expect(splitHtml("<b>kurz</b>")).toEqual(["<b>kurz</b>"]);
  });

  it("splits long answers under 4096 characters at paragraph breaks, never inside a tag or an entity", () => {
    const para = (i: number) => `<b>Absatz ${i}</b> ` + "Förderung &amp; Versicherung &lt;wichtig&gt; für Ihr Dorf. ".repeat(20);
    const html = Array.from({ length: 12 }, (_, i) => para(i)).join("\n\n") + '\n\n<a href="https://example.org/?a=1&amp;b=2">Quelle</a>';
    expect(html.length).toBeGreaterThan(3 * TELEGRAM_MAX_CHARS);
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
      visible(p); // throws on a broken tag or entity
      expect(p).toMatch(/^<b>Absatz \d+<\/b>|^<a /); // cut at paragraph starts
    }
    // Nothing lost or reordered (only the whitespace at the cuts).
    const words = (s: string) => s.replace(/\s+/g, " ").trim();
    expect(words(parts.map(visible).join(" "))).toBe(words(visible(html)));
  });

  it("splits one long paragraph at a sentence end, not mid-sentence", () => {
    const html = "Der Ausbau erfolgt in Abschnitten, die Gemeinde informiert rechtzeitig. ".repeat(70);
    const parts = splitHtml(html, 1000);
    expect(parts.length).toBeGreaterThan(4);
    for (const p of parts) expect(p).toMatch(/rechtzeitig\.$/);
    // "z. B.", "ca." and a date's "1." end no sentence.
    const abbr = "Kleinere Anlagen, z. B. eine Urnenwand mit ca. 24 Kammern, sind ab dem 1. Juli zulässig. ".repeat(60);
    for (const p of splitHtml(abbr, 1000)) expect(p).toMatch(/zulässig\.$/);
  });

  it("closes and reopens a tag when one paragraph is longer than a message", () => {
    const html = `<blockquote expandable>${"Wort &amp; Wort ".repeat(800)}</blockquote>`;
    const parts = splitHtml(html, 1000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(1000);
      expect(p.startsWith("<blockquote expandable>")).toBe(true);
      expect(p.endsWith("</blockquote>")).toBe(true);
      expect(p).not.toMatch(/&amp$|&am$|&a$|&$/);
      visible(p);
    }
  });

  it("hard-cuts text without spaces between characters, not inside emoji surrogate pairs", () => {
    const html = "😀".repeat(3000);
    const parts = splitHtml(html, 1001);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(1001);
      expect(/[\uD800-\uDBFF]$/.test(p)).toBe(false);
    }
    expect(parts.join("")).toBe(html);
  });
});
