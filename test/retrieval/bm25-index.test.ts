import MiniSearch from "minisearch";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/retrieval/load-knowledge.js";
import { chunkDoc } from "../../src/retrieval/chunker.js";
import { Bm25Index, type Bm25SearchOptions } from "../../src/retrieval/bm25-index.js";
import { LEXICAL_OPTIONS, LexicalIndex, lexicalDocument, queryTermsOf } from "../../src/retrieval/lexical-index.js";
import { SYNONYM_WEIGHT, synonymsOf } from "../../src/retrieval/synonyms.js";
import type { Chunk } from "../../src/retrieval/knowledge-types.js";

/**
 * The flat BM25 index must rank exactly as MiniSearch (the library it replaced, kept here as the
 * reference) with the same options: same documents, same scores, same order, on the shipped knowledge
 * and on every labelled question (typos and compounds included).
 */
const QUESTION_FILES = ["eval/questions.jsonl", "eval/calibration.jsonl"];

function reference(chunks: Chunk[]) {
  const ms = new MiniSearch<{ id: string; title: string; section: string; body: string }>({
    fields: LEXICAL_OPTIONS.fields, tokenize: LEXICAL_OPTIONS.tokenize, processTerm: LEXICAL_OPTIONS.processTerm,
  });
  ms.addAll(chunks.map((c) => ({ id: c.meta.chunkId, ...lexicalDocument(c).fields })));
  return (query: string, opts: Bm25SearchOptions) =>
    ms.search(query, { boost: LEXICAL_OPTIONS.boost, fuzzy: (t) => opts.fuzzy(t), prefix: (t) => opts.prefix(t), combineWith: "OR" })
      .map((r) => ({ id: String(r.id), score: r.score }));
}

describe("flat BM25 index against MiniSearch", () => {
  let chunks: Chunk[];
  let questions: string[];
  beforeAll(async () => {
    const { docs } = await loadKnowledge("knowledge");
    chunks = (await Promise.all(docs.map(chunkDoc))).flat();
    questions = QUESTION_FILES.flatMap((f) => readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { question: string }).question));
  });

  for (const [label, opts] of [
    ["fuzzy on every longer word (MiniSearch as it was configured)", { fuzzy: (t: string) => (t.length > 5 ? 0.2 : false), prefix: (t: string) => t.length > 4 }],
    ["fuzzy only on unknown words (as the core searches)", undefined],
  ] as const) {
    it(`ranks the top 20 the same for every labelled question: ${label}`, () => {
      const index = Bm25Index.build(chunks.map(lexicalDocument), LEXICAL_OPTIONS);
      const o: Bm25SearchOptions = opts ?? { fuzzy: (t) => (t.length > 5 && !index.has(t) ? 0.2 : false), prefix: (t) => t.length > 4 };
      const ms = reference(chunks);
      expect(questions.length).toBeGreaterThan(400);
      let compared = 0;
      for (const q of questions) {
        const want = ms(q, o).slice(0, 20);
        const got = index.search(LEXICAL_OPTIONS.tokenize(q).map(LEXICAL_OPTIONS.processTerm).filter(Boolean) as string[], 20, o);
        expect(got.length, q).toBe(want.length);
        for (let i = 0; i < want.length; i++) {
          expect(got[i].score, q).toBeCloseTo(want[i].score, 9);
          // Equal scores may come in either order; different ones must not.
          if (got[i].id !== want[i].id) expect(Math.abs(got[i].score - want[i].score), q).toBeLessThan(1e-9);
        }
        compared += want.length;
      }
      expect(compared).toBeGreaterThan(5000);
    });
  }

  it("weighs a question's synonyms inside the same query as MiniSearch's boostTerm does", () => {
    const index = Bm25Index.build(chunks.map(lexicalDocument), LEXICAL_OPTIONS);
    const ms = new MiniSearch<{ id: string; title: string; section: string; body: string }>({
      fields: LEXICAL_OPTIONS.fields, tokenize: LEXICAL_OPTIONS.tokenize, processTerm: LEXICAL_OPTIONS.processTerm,
    });
    ms.addAll(chunks.map((c) => ({ id: c.meta.chunkId, ...lexicalDocument(c).fields })));
    let compared = 0;
    for (const q of questions) {
      const synonyms = synonymsOf(q);
      if (!synonyms.length) continue;
      const own = queryTermsOf(q);
      const extra = synonyms.flatMap(queryTermsOf);
      const boosts = [...own.map(() => 1), ...extra.map(() => SYNONYM_WEIGHT)];
      const opts: Bm25SearchOptions = { fuzzy: (t) => (t.length > 5 ? 0.2 : false), prefix: (t) => t.length > 4, boosts };
      const want = ms.search(`${q} ${synonyms.join(" ")}`, {
        boost: LEXICAL_OPTIONS.boost, fuzzy: (t) => opts.fuzzy(t), prefix: (t) => opts.prefix(t), combineWith: "OR",
        boostTerm: (_t, i) => boosts[i],
      }).slice(0, 20);
      const got = index.search([...own, ...extra], 20, opts);
      expect(got.length, q).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        expect(got[i].score, q).toBeCloseTo(want[i].score, 9);
        if (got[i].id !== want[i].id) expect(Math.abs(got[i].score - want[i].score), q).toBeLessThan(1e-9);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("lets added synonyms raise a passage's score but not the count of the question's words it contains", () => {
    const docs = [
      { id: "word+synonym", fields: { title: "", section: "", body: "Kohle Förderung" } },
      { id: "word", fields: { title: "", section: "", body: "Kohle Dorf" } },
      { id: "synonym", fields: { title: "", section: "", body: "Förderung Dorf" } },
    ];
    const index = Bm25Index.build(docs, LEXICAL_OPTIONS);
    const own = queryTermsOf("Kohle");
    const extra = queryTermsOf("Förderung");
    const none = { fuzzy: () => false as const, prefix: () => false };
    const alone = (terms: string[], id: string) => index.search(terms, 3, none).find((r) => r.id === id)!.score;
    const both = index.search([...own, ...extra], 3, { ...none, boosts: [1, 0.4], qualityTerms: own.length });
    // One word of the question matched: quality factor 1, the synonym only adds its weighted score.
    expect(both.find((r) => r.id === "word+synonym")!.score).toBeCloseTo(alone(own, "word+synonym") + 0.4 * alone(extra, "word+synonym"), 9);
    expect(both.find((r) => r.id === "synonym")!.score).toBeCloseTo(0.4 * alone(extra, "synonym"), 9);
    expect(both.map((r) => r.id)[0]).toBe("word+synonym");
  });

  it("reads back from its file the same as it was built, as views on an aligned buffer or copied from a shifted one", () => {
    const built = LexicalIndex.build(chunks);
    const file = built.toBuffer();
    // As readFile returns a file: its own ArrayBuffer from offset 0.
    const aligned = Buffer.from(new Uint8Array(file).buffer);
    // One byte off: typed-array views are impossible there, the arrays must be copied.
    const shifted = Buffer.alloc(file.length + 1).fill(0xff);
    file.copy(shifted, 1);
    for (const [what, buf, viewed] of [["aligned", aligned, true], ["shifted", shifted.subarray(1), false]] as const) {
      const loaded = LexicalIndex.fromBuffer(buf);
      const arrays = loaded as unknown as { bm25: { scores: Float64Array; docs: Uint32Array } };
      expect(arrays.bm25.scores.buffer === buf.buffer, what).toBe(viewed);
      expect(arrays.bm25.docs.buffer === buf.buffer, what).toBe(viewed);
      for (const q of questions.slice(0, 100)) expect(loaded.search(q, 10), what).toEqual(built.search(q, 10));
      expect(loaded.idf("leader"), what).toBe(built.idf("leader"));
    }
  });
});
