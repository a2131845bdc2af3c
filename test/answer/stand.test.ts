import { describe, expect, it } from "vitest";
import { answerStand } from "../../src/answer/format.js";
import type { Hit } from "../../src/retrieval/hybrid-retriever.js";

const hit = (text: string, meta: { stand?: string; date?: string }): Hit =>
  ({ chunk: { text, meta: { ...meta } }, score: 1, vectorSim: 0.5, lexicalScore: 1, coverage: 1 }) as unknown as Hit;

describe("the Stand shown under an answer", () => {
  it("takes a figure's own date from the text before the entry's review date", () => {
    const faq = hit("Die Pauschale beträgt 840 Euro (Stand 2025).", { stand: "2026-11-01" });
    expect(answerStand([{ hit: faq, shown: faq.chunk.text }])).toBe("2025");
  });

  it("uses the section's source line, then the entry's own date", () => {
    const nl = hit("Text.\n\nQuelle: [LAG](https://x) · Stand: März 2021", { date: "2021-06-15", stand: "2021-06-15" });
    expect(answerStand([{ hit: nl, shown: "Text." }])).toBe("März 2021");
    const plain = hit("Text ohne Datum.", { stand: "2026-11-01" });
    expect(answerStand([{ hit: plain, shown: "Text ohne Datum." }])).toBe("November 2026");
  });

  it("shows the oldest date when an answer combines passages", () => {
    const a = hit("A (Stand 2024).", { stand: "2026-11-01" });
    const b = hit("B (Stand März 2023).", { stand: "2026-11-01" });
    expect(answerStand([{ hit: a, shown: a.chunk.text }, { hit: b, shown: b.chunk.text }])).toBe("März 2023");
  });

  it("says 'unklar' where the entry says its figures' date is unclear, never a confident date", () => {
    const table = hit("bis 150 EW 311 €. Achtung: Der Stand dieser Beträge ist unklar; bitte bestätigen lassen.", { stand: "2026-11-01" });
    expect(answerStand([{ hit: table, shown: table.chunk.text }])).toBe("unklar");
  });
});

describe("source titles", () => {
  it("name a newsletter issue once, also for its opening section", async () => {
    const { sourceTitle } = await import("../../src/answer/format.js");
    const meta = { kind: "newsletter", title: "Newsletter Nr. 67 – Januar 2026: Dorfläden", issue: 67, date: "2026-01-15" };
    const opening = { chunk: { text: "", meta: { ...meta, section: meta.title } } } as unknown as Hit;
    expect(sourceTitle(opening)).toBe("Newsletter Nr. 67 – Januar 2026: Dorfläden");
    const section = { chunk: { text: "", meta: { ...meta, section: "Förderung: Dorfladen" } } } as unknown as Hit;
    expect(sourceTitle(section)).toBe("Newsletter Nr. 67 (Januar 2026): Förderung: Dorfladen");
  });
});

describe("a passage shown on its own", () => {
  it("loses the source's pointers to its own layout, and nothing else in brackets", async () => {
    const { withoutLayoutReferences } = await import("../../src/answer/format.js");
    const { loadLanguageData } = await import("../../src/language/resources.js");
    const phrases = loadLanguageData().answerability.layout_references ?? [];
    expect(withoutLayoutReferences("Auch LEADER hat in unserer Region schon Mitfahrerbänke gefördert (siehe unten).", phrases))
      .toBe("Auch LEADER hat in unserer Region schon Mitfahrerbänke gefördert.");
    expect(withoutLayoutReferences("Mehr dazu (s. u.) und (Siehe oben).", phrases)).toBe("Mehr dazu und.");
    expect(withoutLayoutReferences("Die Kreisstiftung (seit 2007) fördert Vereine (siehe unten: Kontakt).", phrases))
      .toBe("Die Kreisstiftung (seit 2007) fördert Vereine (siehe unten: Kontakt).");
  });
});

describe("tables in answers", () => {
  it("puts a run-on enumeration of figures on lines, and leaves ordinary sentences alone", async () => {
    const { listsAsLines } = await import("../../src/answer/format.js");
    const table = "Monatliche Festbeträge je nach Einwohnerzahl (EW): bis 150 EW 311 €, 151–300 EW 457 €, 301–500 EW 602 €, 501–750 EW 743 €, 751–1.000 EW 889 €. Achtung: Der Stand ist unklar.";
    expect(listsAsLines(table)).toBe("Monatliche Festbeträge je nach Einwohnerzahl (EW):\n• bis 150 EW 311 €\n• 151–300 EW 457 €\n• 301–500 EW 602 €\n• 501–750 EW 743 €\n• 751–1.000 EW 889 €\nAchtung: Der Stand ist unklar.");
    const { askedQuantity, tableItemFor } = await import("../../src/answer/format.js");
    // The question's own figure picks one line; a figure in no range, two figures, an amount or a year pick none.
    const lines = listsAsLines(table);
    const units = { ew: ["einwohner", "leute"] };
    expect(tableItemFor(lines, { n: 450, unit: "Einwohnern" }, units)).toBe("301–500 EW 602 €");
    expect(tableItemFor(lines, { n: 120, unit: "EW" }, units)).toBe("bis 150 EW 311 €");
    expect(tableItemFor(lines, { n: 5000, unit: "Einwohner" }, units)).toBeUndefined();
    // A figure of something else, or without a word, picks no line.
    expect(tableItemFor(lines, { n: 20, unit: "Helfer" }, units)).toBeUndefined();
    expect(tableItemFor(lines, { n: 450 }, units)).toBeUndefined();
    expect(askedQuantity("Wie viel bekommt ein Ortsbürgermeister bei 1.200 Einwohnern?")).toEqual({ n: 1200, phrase: "1.200 Einwohnern", unit: "Einwohnern" });
    expect(askedQuantity("Gilt das auch für 2026?")).toBeUndefined();
    expect(askedQuantity("Reichen 500 Euro für 30 Helfer?")).toEqual({ n: 30, phrase: "30 Helfer", unit: "Helfer" });
    expect(askedQuantity("Zwischen 300 und 500 Einwohnern?")).toBeUndefined();
    for (const plain of ["Die Pauschale beträgt 840 Euro im Jahr, 70 Euro im Monat, 2 Helfer, 3 Tage und 4 Wochen.", "Gefördert werden: Vereine, Initiativen, Gemeinden, Kirchen und Stiftungen.", "Achtung: kurz."]) {
      expect(listsAsLines(plain)).toBe(plain);
    }
  });
});
