import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadKnowledge } from "../../src/retrieval/load-knowledge.js";
import { FAQ_MAX_WORDS } from "../../src/retrieval/knowledge-schema.js";
import { countWords } from "../../src/retrieval/markdown-loader.js";

describe("the shipped knowledge base", async () => {
  const { docs, problems } = await loadKnowledge(resolve("knowledge"));
  const newsletters = docs.filter((d) => d.kind === "newsletter");
  const faqs = docs.filter((d) => d.kind === "faq");

  it("has no file that fails validation (front matter, dates, links, lengths)", () => {
    expect(problems).toEqual([]);
  });

  it("has at least 24 newsletter issues since July 2020 and 80 FAQ entries", () => {
    expect(newsletters.length).toBeGreaterThanOrEqual(24);
    expect(faqs.length).toBeGreaterThanOrEqual(80);
    expect(newsletters.map((n) => n.date).sort()[0]).toBe("2020-07-15");
  });

  it("has unique ids and issue numbers that match the month (July 2020 = 1)", () => {
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
    for (const n of newsletters) {
      const [y, m] = n.date!.split("-").map(Number);
      expect(n.issue, n.file).toBe((y - 2020) * 12 + m - 6);
    }
  });

  it("gives every Markdown issue 3–6 non-empty sections with a source link", () => {
    for (const n of newsletters.filter((x) => x.origin === "markdown")) {
      expect(n.sections.length, n.file).toBeGreaterThanOrEqual(3);
      expect(n.sections.length, n.file).toBeLessThanOrEqual(7);
      for (const s of n.sections) {
        expect(s.text.trim().length, `${n.file} ${s.heading}`).toBeGreaterThan(40);
        expect(s.link, `${n.file} ${s.heading}`).toMatch(/^https?:\/\/\S+$/);
      }
    }
  });

  it("keeps FAQ answers under the word limit, with 2–4 alternative phrasings and a Stand date", () => {
    for (const f of faqs) {
      expect(countWords(f.faq!.answer), f.file).toBeLessThanOrEqual(FAQ_MAX_WORDS);
      expect(f.faq!.alternatives.length, f.file).toBeGreaterThanOrEqual(2);
      expect(f.stand, f.file).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(f.file, f.file).toBe(`faq/${f.id}.md`);
    }
  });

  it("carries parseable funding deadlines with a year, tied to a section that exists", () => {
    const all = docs.flatMap((d) => d.funding.map((f) => ({ d, f })));
    expect(all.length).toBeGreaterThan(10);
    for (const { d, f } of all) {
      for (const dl of f.deadlines) expect(Number.isNaN(Date.parse(dl.date)), `${d.file} ${f.id}`).toBe(false);
      if (d.kind === "newsletter" && d.origin === "markdown") expect(d.sections.map((s) => s.heading), d.file).toContain(f.section);
    }
  });

  it("documents the schema and a short disclaimer in knowledge/README.md", () => {
    const readme = readFileSync("knowledge/README.md", "utf8");
    expect(readme).toMatch(/Kurzform:/);
    expect(readme).toMatch(/npm run ingest/);
    expect(readme).toMatch(/kind: faq/);
    expect(readme).toMatch(/kind: newsletter/);
  });
});
