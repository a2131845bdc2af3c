import { describe, expect, it } from "vitest";
import { LexicalIndex } from "../../src/retrieval/lexical-index.js";
import type { Chunk } from "../../src/retrieval/knowledge-types.js";

/** The split as first written: the first vocabulary term (in its order) that the tail is or starts with. */
function reference(vocab: string[], term: string): string[] | undefined {
  const has = new Set(vocab);
  if (term.length < 7 || has.has(term) || /\d/.test(term)) return undefined;
  for (let cut = term.length - 3; cut >= 4; cut--) {
    const head = term.slice(0, cut);
    if (!has.has(head)) continue;
    for (const link of ["", "s", "n", "es", "en"]) {
      if (!term.startsWith(head + link, 0)) continue;
      const tail = term.slice(cut + link.length);
      if (tail.length < 3) continue;
      const known = vocab.find((k) => k.length >= 3 && (k === tail || (tail.startsWith(k) && tail.length - k.length <= 3)));
      if (known) return [head, known];
    }
  }
  return undefined;
}

describe("splitting unknown compounds into known terms", () => {
  it("finds the same parts as walking the whole vocabulary, also where several starts of the tail are known", () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = (n: number) => Array.from({ length: n }, () => "aeilmnorst"[Math.floor(rnd() * 10)]).join("");
    const vocab = [...new Set(Array.from({ length: 400 }, () => word(3 + Math.floor(rnd() * 6))))];
    // Passages made of the vocabulary, in an order that is not alphabetical.
    const chunks: Chunk[] = Array.from({ length: 40 }, (_, i) => {
      const text = vocab.slice(i * 10, i * 10 + 10).join(" ");
      return { meta: { chunkId: `c${i}`, docId: `c${i}`, kind: "faq", title: "", section: "", file: "", topics: [], legal: false }, text, searchText: text };
    });
    const terms = (i: number) => vocab.slice(i * 10, i * 10 + 10);
    const index = LexicalIndex.build(chunks, terms);
    const order = [...index.terms()];
    let split = 0;
    let several = 0;
    for (let k = 0; k < 3000; k++) {
      const a = vocab[Math.floor(rnd() * vocab.length)];
      const b = vocab[Math.floor(rnd() * vocab.length)];
      const term = a + ["", "s", "n", "es"][Math.floor(rnd() * 4)] + b + (rnd() < 0.5 ? word(Math.floor(rnd() * 4)) : "");
      const want = reference(order, term);
      expect(index.decompound(term), term).toEqual(want);
      if (want) split++;
      const tail = want ? term.slice(term.indexOf(want[1], want[0].length)) : "";
      if (want && order.filter((t) => t.length >= 3 && tail.startsWith(t) && tail.length - t.length <= 3).length > 1) several++;
    }
    expect(split).toBeGreaterThan(500);
    expect(several).toBeGreaterThan(20);
  });
});
