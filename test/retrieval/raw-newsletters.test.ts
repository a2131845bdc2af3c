import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseHtmlNewsletter } from "../../src/retrieval/html-loader.js";
import { metaFromText } from "../../src/retrieval/raw-newsletter.js";
import { upcomingDeadlines } from "../../src/digest/compose.js";
import { parsePdfNewsletter } from "../../src/retrieval/pdf-loader.js";
import { parseMarkdownKnowledge } from "../../src/retrieval/markdown-loader.js";
import { parsePlainMarkdownNewsletter } from "../../src/retrieval/plain-markdown-loader.js";

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

describe("an issue saved under any file name: date and number from its masthead", () => {
  it("reads a full date before a month alone, and the issue number", () => {
    expect(metaFromText("Hauptamt stärkt Ehrenamt – Ausgabe 78, Dezember 2026\nTrier, 15. Dezember 2026")).toEqual({ date: "2026-12-15", issue: 78 });
    expect(metaFromText("Newsletter Nr. 12 · März 2021")).toEqual({ date: "2021-03-01", issue: 12 });
    expect(metaFromText("Stand 03.05.2024")).toEqual({ date: "2024-05-03", issue: undefined });
    expect(metaFromText("Trier, 31.02.2026")).toEqual({ date: undefined, issue: undefined });
  });

  const html = (masthead: string) => Buffer.from(`<html><head><title>Newsletter</title></head><body><p>${masthead}</p>
    <h2>Förderung: Winterdienst</h2><p>Anträge bis 28. Februar 2027 an die Kreisverwaltung, bis zu 1.500 Euro je Ortsgemeinde und Jahr.</p>
    <h2>Recht: Helfer beim Schneeschippen</h2><p>Beauftragt die Gemeinde die Helfer, sind sie über die Unfallkasse versichert.</p></body></html>`);

  it("reads a line break as a space, not as nothing", async () => {
    const doc = await parseHtmlNewsletter("inbox/newsletter-dezember.html", html("Trier, 15. Dezember 2026<br>Ausgabe 78"));
    expect(doc.issue).toBe(78);
    const greeting = await parseHtmlNewsletter("inbox/newsletter-dezember.html", Buffer.from(`<html><body><p>Trier, 15. Dezember 2026</p>
      <h2>Gutes Beispiel: Mitfahrbänke</h2><p>In Waldweiler stehen sechs Mitfahrbänke.<br>Kommen Sie gut ins neue Jahr!<br>Ihr Team</p></body></html>`));
    expect(greeting.sections[0].text).toBe("In Waldweiler stehen sechs Mitfahrbänke. Kommen Sie gut ins neue Jahr! Ihr Team");
  });

  it("takes the date from the masthead of an HTML issue named freely", async () => {
    const doc = await parseHtmlNewsletter("inbox/newsletter-dezember.html", html("Trier, 15. Dezember 2026 · Ausgabe 78"));
    expect(doc.date).toBe("2026-12-15");
    expect(doc.issue).toBe(78);
  });

  it("keeps the deadlines it names, so the weekly digest lists them like those of the Markdown issues", async () => {
    const doc = await parseHtmlNewsletter("inbox/newsletter-dezember.html", html("Trier, 15. Dezember 2026 · Ausgabe 78"));
    expect(doc.funding).toHaveLength(1);
    expect(doc.funding[0]).toMatchObject({ programme: "Förderung: Winterdienst", deadlines: [{ date: "2027-02-28", label: "Frist laut Newsletter Nr. 78" }] });
    const summary = { ...doc, funding: doc.funding } as unknown as Parameters<typeof upcomingDeadlines>[0][number];
    const due = upcomingDeadlines([summary], new Date("2027-02-01T10:00:00Z"), 30, "Europe/Berlin");
    expect(due).toEqual([expect.objectContaining({ date: "2027-02-28", programme: "Förderung: Winterdienst" })]);
    // A date before the issue, or one without a deadline word, is no deadline.
    const old = await parseHtmlNewsletter("inbox/n.html", Buffer.from(`<html><body><p>Trier, 15. Dezember 2026</p><h2>Rückblick</h2><p>Bis 1. März 2026 kamen 40 Anträge. Am 3. Januar 2027 tagt die Jury öffentlich im Kreishaus.</p><h2>Recht</h2><p>Helfer sind über die Unfallkasse versichert, wenn die Gemeinde sie beauftragt.</p></body></html>`));
    expect(old.funding).toEqual([]);
  });

  it("never takes a deadline inside a section for the issue's date, and says in plain German what to do", async () => {
    const err = await parseHtmlNewsletter("inbox/newsletter.html", html("Liebe Ortsbürgermeisterinnen und Ortsbürgermeister,")).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("Datum der Ausgabe oben in die Datei („Trier, 15. Dezember 2026“) oder an den Anfang des Dateinamens, z. B. „2026-12-15-newsletter.html“");
    expect((err as Error).message).not.toContain("meta");
  });
});

describe("a mail printed to PDF whose article headings are set larger than its title", () => {
  it("still finds the title, the masthead's date and number, and one section per article", async () => {
    const doc = await parsePdfNewsletter("inbox/newsletter_78_dezember.pdf", readFileSync(`${RAW}/newsletter-headings-larger-than-title.pdf`));
    expect(doc).toMatchObject({ date: "2026-12-15", issue: 78 });
    // It names no topics: none is better than one wrong for all its articles (Vorgang, "Wissenslücken", digest).
    expect(doc.topics).toEqual([]);
    expect(doc.sections.map((s) => s.heading)).toEqual([
      "Förderaufruf „Treffpunkt Dorf 2027“: bis zu 5.000 Euro für Orte der Begegnung",
      "Rechtstipp: Winterdienst – wer muss streuen?",
      "Gutes Beispiel: Mitfahrbänke in Waldweiler",
    ]);
  });
});

describe("an issue typed as plain Markdown (no template)", () => {
  const md = `# Newsletter Hauptamt stärkt Ehrenamt – Dezember 2026

Trier, 15. Dezember 2026 · Ausgabe 78

## Förderaufruf „Treffpunkt Dorf 2027“

Die Kreisstiftung startet den Förderaufruf. Je Projekt gibt es **bis zu 5.000 Euro**;
Eigenanteil 10 Prozent. Mehr unter [Kreisstiftung](https://example.org/treffpunkt).

## Rechtstipp: Winterdienst – wer muss streuen?

- Für gemeindeeigene Flächen bleibt die Ortsgemeinde verantwortlich, auch für Treppen und Friedhofswege.
`;

  it("reads title, masthead, one section per '## ' and the words a reader sees", () => {
    const doc = parsePlainMarkdownNewsletter("inbox/newsletter-dezember.md", Buffer.from(md));
    expect(doc).toMatchObject({ kind: "newsletter", title: "Newsletter Hauptamt stärkt Ehrenamt – Dezember 2026", date: "2026-12-15", issue: 78, origin: "markdown" });
    expect(doc.sections.map((s) => s.heading)).toEqual(["Förderaufruf „Treffpunkt Dorf 2027“", "Rechtstipp: Winterdienst – wer muss streuen?"]);
    expect(doc.sections[0].text).toBe("Die Kreisstiftung startet den Förderaufruf. Je Projekt gibt es bis zu 5.000 Euro; Eigenanteil 10 Prozent. Mehr unter Kreisstiftung.");
    expect(doc.sections[0].link).toBe("https://example.org/treffpunkt");
    expect(doc.sections[1].text).toMatch(/^• Für gemeindeeigene Flächen/);
  });
});
