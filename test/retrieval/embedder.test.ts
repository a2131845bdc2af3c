import { describe, expect, it } from "vitest";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.js";
import { editDistance } from "../../src/retrieval/edit-distance.js";
import { foldUmlauts, STOPWORDS, stem, words } from "../../src/retrieval/german-text.js";

/** The embedder spelled out with a string per feature: the index on disk depends on these exact vectors. */
function reference(text: string, dims = 1024, sizes = [3, 4, 5]): number[] {
  const fnv = (s: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const v = new Float64Array(dims);
  const add = (f: string, w: number) => {
    const h = fnv(f);
    v[h % dims] += h & 0x80000000 ? -w : w;
  };
  const counts = new Map<string, number>();
  for (const w of words(text)) if (!STOPWORDS.has(w) && (w.length >= 2 || /\d|§|%/.test(w))) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const [w, c] of counts) {
    const tf = 1 + Math.log(c);
    add("w:" + stem(w), tf);
    const folded = `<${foldUmlauts(w)}>`;
    const grams: string[] = [];
    for (const n of sizes) for (let i = 0; i + n <= folded.length; i++) grams.push(folded.slice(i, i + n));
    for (const g of grams) add("g:" + g, tf / Math.sqrt(grams.length));
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return Array.from(v, (x) => x / norm);
}

describe("offline embedder", () => {
  it("gives exactly the vectors of its feature definition (n-grams hashed without a string each)", () => {
    const e = new HashedNgramEmbedder();
    for (const text of ["Sind Helfer beim Dorffest über die Gemeinde unfallversichert?", "Wie vill kritt en Ortsbürgermeeschter?", "§ 3 Nr. 26a EStG: 840 Euro", "a b"]) {
      expect(e.embedText(text)).toEqual(reference(text));
    }
  });
});

describe("edit distance", () => {
  it("counts edits up to the limit, also across calls with longer and shorter words", () => {
    expect(editDistance("interkomunal", "interkommunal", 2)).toBe(1);
    expect(editDistance("vorraussetzung", "voraussetzung", 1)).toBe(1);
    expect(editDistance("ehrenamtskarte", "ehrenamtspauschale", 2)).toBe(3);
    expect(editDistance("a".repeat(100), "a".repeat(98) + "bb", 3)).toBe(2);
    expect(editDistance("haus", "maus", 1)).toBe(1);
    expect(editDistance("haus", "haus", 0)).toBe(0);
  });
});
