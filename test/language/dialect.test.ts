import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGE_DIR, loadLanguageData } from "../../src/language/resources.js";
import { looksDialect, reshape, toStandardGerman } from "../../src/language/dialect.js";
import { terms } from "../../src/retrieval/german-text.js";

const { dialect } = loadLanguageData();
const pairs = readFileSync(join(LANGUAGE_DIR, "platt-tests.tsv"), "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"))
  .map((l) => l.split("\t") as [string, string]);

/** Share of the standard sentence's content words found after turning the dialect sentence into standard German. */
function recovered(platt: string, standard: string): number {
  const want = new Set(terms(standard));
  const got = new Set(terms(toStandardGerman(platt, dialect).text));
  return want.size ? [...want].filter((t) => got.has(t)).length / want.size : 1;
}

describe("Moselfränkisch lexicon (language/platt*.tsv)", () => {
  it("has test sentences and mappings", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
    expect(dialect.plain.size).toBeGreaterThan(500);
  });

  it("recovers the content words of the dialect test sentences", () => {
    const rates = pairs.map(([p, s]) => recovered(p, s));
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    // Measured: 0.96 with the lexicon, 0.28 without it.
    expect(mean).toBeGreaterThanOrEqual(0.85);
  });

  it("recognises a dialect message and applies the ambiguous forms only there", () => {
    const r = toStandardGerman("Wat kritt dann eis Gemeen do fir Geld?", dialect);
    expect(r.isDialect).toBe(true);
    expect(r.text.toLowerCase()).toContain("was");
    expect(r.text.toLowerCase()).toContain("gemeinde");
    // "mir" is standard German "mir" in a standard sentence; only dialect makes it "wir".
    expect(toStandardGerman("Können Sie mir sagen, wie hoch die Pauschale ist?", dialect).text).toBe("Können Sie mir sagen, wie hoch die Pauschale ist?");
  });

  it("leaves standard German questions of the knowledge base unchanged", () => {
    const questions = readFileSync(join(LANGUAGE_DIR, "intents", "question.yaml"), "utf8").match(/^\s+- "(.+)"$/gm) ?? [];
    const standard = questions.map((q) => q.trim().slice(3, -1)).filter((q) => !toStandardGerman(q, dialect).isDialect);
    const changed = standard.filter((q) => toStandardGerman(q, dialect).replaced > 0);
    expect(changed.length / standard.length).toBeLessThan(0.1);
  });
});

const soundPairs = readFileSync(join(LANGUAGE_DIR, "platt-sounds-tests.tsv"), "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"))
  .map((l) => l.split("\t") as [string, string]);

describe("regular sound correspondences (language/platt-sounds.tsv)", () => {
  // Stands in for "a word of the knowledge or a function word": the targets of the test pairs and a few decoys.
  const known = new Set([...soundPairs.map(([, s]) => s.toLowerCase()), "tag", "bein", "dach"]);
  const isKnown = (w: string) => known.has(w);

  it("turns each dialect word of the test pairs into its standard form", () => {
    expect(soundPairs.length).toBeGreaterThanOrEqual(8);
    for (const [platt, standard] of soundPairs) expect(reshape(platt, dialect, isKnown), platt).toBe(standard.toLowerCase());
  });

  it("leaves a word alone that is already known or that no correspondence makes known", () => {
    expect(reshape("dach", dialect, isKnown)).toBeUndefined();
    expect(reshape("Sehtest", dialect, isKnown)).toBeUndefined();
  });

  it("reshapes only in a message that is clearly dialect", () => {
    const isWord = (w: string) => ["dazu", "dabei", "einer", "überhaupt"].includes(w);
    expect(toStandardGerman("Kritt de Veräin do iwwerhaupt eppes dozou?", dialect, isWord).text).toContain("überhaupt");
    expect(toStandardGerman("Kritt de Veräin do iwwerhaupt eppes dozou?", dialect, isWord).text).toContain("dazu");
    // One unknown word in a standard sentence is a typo or a name, not dialect.
    expect(toStandardGerman("Gibt es dozou eine Regel?", dialect, isWord).text).toBe("Gibt es dozou eine Regel?");
  });
});

describe("dialect spellings (language/platt-spelling.txt)", () => {
  it("marks words spelled the dialect way", () => {
    for (const w of ["sischerheet", "ënnerlagen", "stichdaach", "owwedruff", "sisch", "versécherung", "iergendwou", "eis"]) expect(looksDialect(w, dialect), w).toBe(true);
  });

  it("does not mark standard German words the knowledge may lack", () => {
    for (const w of ["deckungssummen", "ausschankgenehmigung", "gema", "sehtest", "fussballverein", "nachricht", "praktisch", "feuerwehr", "situation", "bücher", "sache", "stichtag"]) expect(looksDialect(w, dialect), w).toBe(false);
  });
});
