import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseHtmlNewsletter } from "../../src/retrieval/html-loader.js";
import { parsePdfNewsletter } from "../../src/retrieval/pdf-loader.js";
import { parseMarkdownKnowledge } from "../../src/retrieval/markdown-loader.js";

const RAW = "test/fixtures/raw";
const issues = [
  { raw: "2021-04-15-ausgabe-10-arbeitseinsatz-fruehjahrsputz", md: "knowledge/newsletter/2021-04-arbeitseinsatz-fruehjahrsputz.md", issue: 10, date: "2021-04-15" },
  { raw: "2026-01-20-ausgabe-67-leader-aufruf-moselfranken", md: "knowledge/newsletter/2026-01-leader-aufruf-moselfranken.md", issue: 67, date: "2026-01-20" },
];

describe("raw newsletters as staff drop them (HTML e-mail and printed PDF)", () => {
  for (const it0 of issues) {
    const md = parseMarkdownKnowledge(it0.md, readFileSync(it0.md, "utf8"));
    const mdHeadings = md.sections.map((s) => s.heading).filter((h) => h !== md.title);

    it(`HTML of issue ${it0.issue} yields the same sections, links and metadata as the Markdown`, async () => {
      const doc = await parseHtmlNewsletter(`${it0.raw}.html`, readFileSync(`${RAW}/${it0.raw}.html`));
      expect(doc).toMatchObject({ kind: "newsletter", issue: it0.issue, date: it0.date, title: md.title, origin: "html" });
      expect(doc.sections.map((s) => s.heading).filter((h) => mdHeadings.includes(h))).toEqual(mdHeadings);
      const rechtMd = md.sections.find((s) => s.heading.startsWith("Recht"))!;
      const rechtHtml = doc.sections.find((s) => s.heading === rechtMd.heading)!;
      expect(rechtHtml.link).toBe(rechtMd.link);
      expect(doc.sections.map((s) => s.text).join(" ")).not.toMatch(/abmelden|Sie erhalten diesen Newsletter/i);
    });

    it(`PDF of issue ${it0.issue} yields the same sections and links, with wrapped headings joined`, async () => {
      const doc = await parsePdfNewsletter(`${it0.raw}.pdf`, readFileSync(`${RAW}/${it0.raw}.pdf`));
      expect(doc).toMatchObject({ kind: "newsletter", issue: it0.issue, date: it0.date, title: md.title, origin: "pdf" });
      expect(doc.sections.map((s) => s.heading).filter((h) => h !== md.title)).toEqual(mdHeadings);
      for (const s of md.sections.filter((x) => x.heading !== "Kontakt" && x.heading !== md.title)) {
        const p = doc.sections.find((x) => x.heading === s.heading)!;
        expect(p.link, s.heading).toBe(s.link);
        // Same words in the same order, whatever the PDF's line breaks.
        const words = (t: string) => t.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").slice(0, 25).join(" ");
        expect(words(p.text)).toBe(words(s.text));
      }
    });
  }
});
