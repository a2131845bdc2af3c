import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLanguageData } from "../../src/language/resources.js";
import { expandBoundaries, languageRegex } from "../../src/language/regex.js";

/** Every pattern of the language data that uses \b (the ones the short form can change). */
function patternsWithBoundary(): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.includes("\\b")) out.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(loadLanguageData());
  return [...out];
}

function knowledgeLines(dir = "knowledge"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? knowledgeLines(join(dir, e.name)) : e.name.endsWith(".md") ? readFileSync(join(dir, e.name), "utf8").split("\n").filter((l) => l.trim()) : []);
}

describe("Unicode word boundaries in language patterns (src/language/regex.ts)", () => {
  it("knows umlauts and ß as word characters", () => {
    expect(languageRegex("\\bfür\\b").test("wofür steht das")).toBe(false);
    expect(languageRegex("\\bfür\\b").test("gibt es für uns")).toBe(true);
    expect(languageRegex("\\bgröß").test("die größte")).toBe(true);
    expect(languageRegex("ß\\b").test("größte")).toBe(false);
  });

  it("uses one look-around where the pattern shows the word's side, the general form elsewhere", () => {
    const general = expandBoundaries("\\b", false);
    expect(expandBoundaries("\\bwofür steht\\b")).toBe("(?<![\\p{L}\\p{N}_])wofür steht(?![\\p{L}\\p{N}_])");
    expect(expandBoundaries("\\b(ab|bis)\\b")).toBe("(?<![\\p{L}\\p{N}_])(ab|bis)(?![\\p{L}\\p{N}_])");
    // A group that may be empty, an optional letter, an escape or a class: the general form.
    expect(expandBoundaries("\\b(ab)?x")).toBe(`${general}(ab)?x`);
    expect(expandBoundaries("\\bs?x")).toBe(`${general}s?x`);
    expect(expandBoundaries("\\d\\b")).toBe(`\\d${general}`);
    expect(expandBoundaries("[a-z]\\b")).toBe(`[a-z]${general}`);
    expect(expandBoundaries("(?<!mail-?)\\b(x)")).toBe("(?<!mail-?)(?<![\\p{L}\\p{N}_])(x)");
    expect(expandBoundaries("(?=a)\\b")).toBe(`(?=a)${general}`);
  });

  it("finds the same matches as the general form for every pattern of the language data", () => {
    const texts = [
      ...readFileSync("eval/questions.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l).question as string),
      ...knowledgeLines(),
      "", "ü", "wofür", "x-wofür?", "größe", "e-mail: a@b.de", "Tel. 0651/715-0", "5 %", "_wie_", "2025er", "😀wie viel",
    ];
    let compared = 0;
    for (const p of patternsWithBoundary()) {
      let general: RegExp;
      try {
        general = new RegExp(expandBoundaries(p, false), "giu");
      } catch {
        continue; // a template ("{first_names}") filled before compiling
      }
      const fast = new RegExp(expandBoundaries(p), "giu");
      // Case-insensitive: the patterns run on lower-cased questions and on passages as written.
      for (const s of texts) {
        const a = [...s.matchAll(general)].map((m) => `${m.index}:${m[0]}`).join("|");
        const b = [...s.matchAll(fast)].map((m) => `${m.index}:${m[0]}`).join("|");
        if (a !== b) expect({ pattern: p, text: s, fast: b }).toEqual({ pattern: p, text: s, fast: a });
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });
});
