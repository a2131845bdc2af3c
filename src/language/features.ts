import { foldUmlauts, normalize } from "../retrieval/german-text.js";

/** Sparse vector: feature → weight. */
export type Sparse = Map<string, number>;

/** Words with umlauts folded; function words kept (for intents "wer bist du" is all function words). */
export function plainWords(text: string): string[] {
  return (foldUmlauts(normalize(text)).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 0);
}

/**
 * Surface features of a short message: words, word pairs and character 3–4-grams inside words.
 * N-grams carry typos and dialect spellings ("dankeschéin", "merci villmools") to their neighbours.
 */
export function surfaceFeatures(text: string): Sparse {
  const f: Sparse = new Map();
  const add = (k: string, w: number) => f.set(k, (f.get(k) ?? 0) + w);
  const ws = plainWords(text);
  ws.forEach((w, i) => {
    add(`w:${w}`, 1);
    if (i > 0) add(`b:${ws[i - 1]}_${w}`, 1);
    const padded = `<${w}>`;
    for (const n of [3, 4]) for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`, 0.35);
  });
  return f;
}

export function l2normalize(v: Sparse): Sparse {
  let n = 0;
  for (const x of v.values()) n += x * x;
  n = Math.sqrt(n) || 1;
  for (const [k, x] of v) v.set(k, x / n);
  return v;
}

export function dot(a: Sparse, b: Sparse): number {
  const [s, l] = a.size < b.size ? [a, b] : [b, a];
  let t = 0;
  for (const [k, x] of s) {
    const y = l.get(k);
    if (y !== undefined) t += x * y;
  }
  return t;
}
