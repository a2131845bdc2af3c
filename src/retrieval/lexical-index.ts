import MiniSearch from "minisearch";
import { normalize, stem, STOPWORDS, terms } from "./german-text.js";
import type { Chunk } from "./knowledge-types.js";

interface LexDoc {
  chunkId: string;
  title: string;
  section: string;
  body: string;
}

const OPTIONS = {
  idField: "chunkId",
  fields: ["title", "section", "body"],
  tokenize: (text: string) => normalize(text).replace(/(\d)\.(\d{3})\b/g, "$1$2").match(/§|%|[\p{L}\p{N}_]+/gu) ?? [],
  processTerm: (term: string) => (STOPWORDS.has(term) || (term.length < 2 && !/\d|§|%/.test(term)) ? null : stem(term)),
};

/** BM25 over German stems (MiniSearch), plus document frequencies for confidence weighting. */
export class LexicalIndex {
  private constructor(private ms: MiniSearch<LexDoc>, private df: Map<string, number>, private n: number) {}

  static build(chunks: Chunk[]): LexicalIndex {
    const ms = new MiniSearch<LexDoc>(OPTIONS);
    ms.addAll(chunks.map((c) => ({ chunkId: c.meta.chunkId, title: c.meta.title, section: c.meta.section, body: c.searchText })));
    const df = new Map<string, number>();
    for (const c of chunks) for (const t of new Set(terms(`${c.meta.title} ${c.meta.section} ${c.searchText}`))) df.set(t, (df.get(t) ?? 0) + 1);
    return new LexicalIndex(ms, df, chunks.length);
  }

  static fromJSON(json: string): LexicalIndex {
    const data = JSON.parse(json) as { ms: Parameters<typeof MiniSearch.loadJS>[0]; df: [string, number][]; n: number };
    return new LexicalIndex(MiniSearch.loadJS<LexDoc>(data.ms, OPTIONS), new Map(data.df), data.n);
  }

  toJSON(): string {
    return JSON.stringify({ ms: this.ms.toJSON(), df: [...this.df], n: this.n });
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
    for (let cut = term.length - 3; cut >= 4; cut--) {
      const head = term.slice(0, cut);
      if (!this.df.has(head)) continue;
      for (const link of ["", "s", "n", "es", "en"]) {
        if (!term.startsWith(head + link, 0)) continue;
        const tail = term.slice(cut + link.length);
        if (tail.length < 3) continue;
        const known = [...this.df.keys()].find((k) => k.length >= 3 && (k === tail || (tail.startsWith(k) && tail.length - k.length <= 3)));
        if (known) return [head, known];
      }
    }
    return undefined;
  }

  search(query: string, limit: number): { chunkId: string; score: number }[] {
    const res = this.ms.search(query, {
      boost: { section: 2, title: 1.2, body: 1 },
      // Typos in longer words the index does not know; a known word needs no fuzzy expansion (which
      // at 100k chunks costs more than the rest of the search). Prefixes catch compounds ("Dorf…").
      fuzzy: (term) => (term.length > 5 ? 0.2 : false),
      prefix: (term) => term.length > 4,
      combineWith: "OR",
    });
    return res.slice(0, limit).map((r) => ({ chunkId: String(r.id), score: r.score }));
  }
}
