import { Bm25Index, type Bm25Options, type LexicalEngine } from "./bm25-index.js";
import { normalize, stem, STOPWORDS, terms } from "./german-text.js";
import type { Chunk } from "./knowledge-types.js";

/** Tokens and fields as they were with MiniSearch, so the ranking stays the one the eval was measured on. */
export const LEXICAL_OPTIONS: Bm25Options = {
  fields: ["title", "section", "body"],
  boost: { section: 2, title: 1.2, body: 1 },
  tokenize: (text: string) => normalize(text).replace(/(\d)\.(\d{3})\b/g, "$1$2").match(/§|%|[\p{L}\p{N}_]+/gu) ?? [],
  processTerm: (term: string) => (STOPWORDS.has(term) || (term.length < 2 && !/\d|§|%/.test(term)) ? null : stem(term)),
};

/** A query's terms as the lexical index has them (stop words dropped, stemmed), in order. */
export const queryTermsOf = (text: string): string[] => LEXICAL_OPTIONS.tokenize(text).map(LEXICAL_OPTIONS.processTerm).filter(Boolean) as string[];

/** A passage's distinct stemmed terms: what coverage and document frequencies are computed on. */
export const passageTerms = (c: Chunk): string[] => [...new Set(terms(`${c.meta.title} ${c.meta.section} ${c.searchText}`))];

export const lexicalDocument = (c: Chunk) => ({ id: c.meta.chunkId, fields: { title: c.meta.title, section: c.meta.section, body: c.searchText } });

/** BM25 over German stems (flat arrays, MiniSearch's scoring), plus document frequencies for confidence weighting. */
export class LexicalIndex {
  private constructor(private bm25: LexicalEngine, private df: Map<string, number>, private n: number) {}

  /** The same index with another engine for the ranking (the benchmark's MiniSearch peer). */
  withEngine(engine: LexicalEngine): LexicalIndex {
    return new LexicalIndex(engine, this.df, this.n);
  }

  /** `termsOf`: each passage's distinct stemmed terms, if the caller has them already (see passageTerms). */
  static build(chunks: Chunk[], termsOf: (i: number) => string[] = (i) => passageTerms(chunks[i])): LexicalIndex {
    const df = new Map<string, number>();
    chunks.forEach((_, i) => {
      for (const t of termsOf(i)) df.set(t, (df.get(t) ?? 0) + 1);
    });
    return new LexicalIndex(Bm25Index.build(chunks.map(lexicalDocument), LEXICAL_OPTIONS), df, chunks.length);
  }

  /** Layout: 4 bytes length of the document-frequency JSON, that JSON, then the BM25 index. */
  static fromBuffer(buf: Buffer): LexicalIndex {
    const dfLength = buf.readUInt32LE(0);
    const data = JSON.parse(buf.subarray(4, 4 + dfLength).toString("utf8")) as { terms: string[]; counts: number[]; n: number };
    const df = new Map(data.terms.map((t, i) => [t, data.counts[i]]));
    return new LexicalIndex(Bm25Index.deserialize(buf.subarray(4 + dfLength)), df, data.n);
  }

  toBuffer(): Buffer {
    if (!(this.bm25 instanceof Bm25Index)) throw new Error("only the flat BM25 index is stored");
    const json = Buffer.from(JSON.stringify({ terms: [...this.df.keys()], counts: [...this.df.values()], n: this.n }), "utf8");
    // Padded with spaces (valid JSON) so the BM25 arrays behind it start 8-byte aligned in the file: read back,
    // they are views on the file buffer instead of copies.
    const dfJson = Buffer.concat([json, Buffer.alloc((8 - ((4 + json.length) % 8)) % 8, " ")]);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(dfJson.length);
    return Buffer.concat([length, dfJson, this.bm25.serialize()]);
  }

  /** Inverse document frequency of a stemmed term; unknown terms count as rare but not decisive. */
  idf(term: string): number {
    const d = this.df.get(term) ?? 0;
    return Math.log(1 + (this.n - d + 0.5) / (d + 0.5));
  }

  has(term: string): boolean {
    return this.df.has(term);
  }

  terms(): IterableIterator<string> {
    return this.df.keys();
  }

  /**
   * Splits an unknown compound into known stems ("lottomitteln" → "lotto" + "mittel"), trying the
   * longest known head first and allowing a linking -s-/-n-/-es-. Undefined when it does not split.
   */
  decompound(term: string): string[] | undefined {
    if (term.length < 7 || this.df.has(term) || /\d/.test(term)) return undefined;
    if (this.compoundCache.has(term)) return this.compoundCache.get(term);
    const split = this.decompoundUncached(term);
    if (this.compoundCache.size >= 20_000) this.compoundCache.clear();
    this.compoundCache.set(term, split);
    return split;
  }

  private compoundCache = new Map<string, string[] | undefined>();

  /**
   * The known term that `tail` is or starts with (at most three letters more, at least three letters long);
   * of several, the one the vocabulary lists first. Looks up the few starts instead of walking the whole
   * vocabulary for every try (at 100k passages milliseconds per unknown word).
   */
  private knownStart(tail: string): string | undefined {
    const starts: string[] = [];
    for (let len = Math.max(3, tail.length - 3); len <= tail.length; len++) if (this.df.has(tail.slice(0, len))) starts.push(tail.slice(0, len));
    if (starts.length < 2) return starts[0];
    for (const k of this.df.keys()) if (starts.includes(k)) return k;
    return undefined;
  }

  private decompoundUncached(term: string): string[] | undefined {
    for (let cut = term.length - 3; cut >= 4; cut--) {
      const head = term.slice(0, cut);
      if (!this.df.has(head)) continue;
      for (const link of ["", "s", "n", "es", "en"]) {
        if (!term.startsWith(head + link, 0)) continue;
        const tail = term.slice(cut + link.length);
        if (tail.length < 3) continue;
        const known = this.knownStart(tail);
        if (known) return [head, known];
      }
    }
    return undefined;
  }

  /** BM25 on the query's terms and, in the same query, its synonyms' terms at `synonymWeight`. */
  search(query: string, limit: number, synonyms: string[] = [], synonymWeight = 1): { chunkId: string; score: number }[] {
    const own = queryTermsOf(query);
    const extra = synonyms.flatMap(queryTermsOf);
    return this.bm25.search([...own, ...extra], limit, {
      boosts: extra.length ? [...own.map(() => 1), ...extra.map(() => synonymWeight)] : undefined,
      qualityTerms: own.length,
      // Typos in longer words; prefixes catch compounds ("Dorf…"). Known words are expanded too: the
      // confidence was fitted on that ranking (fuzzy only for unknown words moved it: see the README).
      fuzzy: (term) => (term.length > 5 ? 0.2 : false),
      prefix: (term) => term.length > 4,
    }).map((r) => ({ chunkId: r.id, score: r.score }));
  }
}
