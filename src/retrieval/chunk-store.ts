import Database from "better-sqlite3";
import { rmSync } from "node:fs";
import type { Chunk, ChunkMeta, PhrasingTerms } from "./knowledge-types.js";
import type { DocSummary } from "./build-index.js";
import { foldUmlauts, terms, words } from "./german-text.js";

/**
 * The passages of the index folder in one SQLite file (`chunks.sqlite`, better-sqlite3), read when a passage
 * is looked at. Only the passage ids stay in memory: at 100k passages the parsed metadata and texts cost
 * about 250 MB and most of the load time, while a question reads a few dozen passages. Plain better-sqlite3,
 * not Kysely: the file is written once at build and read by label on every candidate, and the index is
 * SQLite whatever store the instance uses.
 */

interface Row {
  meta: string;
  /** Read with the row, or on first use when the row came from a prefetch (see `prefetch`). */
  text?: string;
  search?: string;
  terms: string | null;
  phrasings: string | null;
}

/**
 * A passage's metadata with every field in one order (absent ones undefined): JSON.parse gives objects of four
 * shapes (FAQ or newsletter, with or without a programme), and code reading `meta.kind` on all of them was
 * compiled for one shape and thrown away again by V8.
 */
function parseMeta(json: string): ChunkMeta {
  const m = JSON.parse(json) as ChunkMeta;
  return {
    chunkId: m.chunkId, docId: m.docId, kind: m.kind, title: m.title, section: m.section, issue: m.issue, date: m.date,
    stand: m.stand, link: m.link, topics: m.topics, legal: m.legal, programme: m.programme, file: m.file, phrasings: m.phrasings,
  };
}

/** What a search compares a passage's own phrasings by, made once at build instead of on every question. */
export function phrasingTerms(meta: ChunkMeta): PhrasingTerms[] {
  return (meta.phrasings ?? []).map((p) => ({ terms: terms(p), words: words(p).map(foldUmlauts) }));
}

/** `termsOf(i)`: the distinct stemmed terms of passage i, computed once at build (the BM25 build needs them too). */
export function writeChunks(chunks: Chunk[], file: string, termsOf?: (i: number) => string[]): void {
  rmSync(file, { force: true });
  const db = new Database(file);
  try {
    // Written once into a fresh temp folder that is swapped in afterwards: no journal needed.
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.exec(`CREATE TABLE chunk (
      label INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL, doc_id TEXT NOT NULL, kind TEXT NOT NULL, issue INTEGER,
      meta TEXT NOT NULL, text TEXT NOT NULL, search TEXT NOT NULL, terms TEXT, phrasings TEXT)`);
    const insert = db.prepare("INSERT INTO chunk VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db.transaction(() => {
      chunks.forEach((c, i) => {
        const m = c.meta;
        insert.run(i, m.chunkId, m.docId, m.kind, m.issue ?? null, JSON.stringify(m), c.text, c.searchText, termsOf ? termsOf(i).join(" ") : null,
          m.phrasings?.length ? JSON.stringify(phrasingTerms(m)) : null);
      });
    })();
    db.exec("CREATE INDEX chunk_kind_issue ON chunk (kind, issue)");
    // Covering index for the ids read at load: without it SQLite scans every row with its texts
    // (100k passages: 0.3 s instead of 0.02-0.06 s).
    db.exec("CREATE INDEX chunk_label_id ON chunk (label, chunk_id)");
  } finally {
    db.close();
  }
}

/**
 * The entry summaries (staff page, digest, Teams suggestions) into the same file: no question needs them, so
 * they are read when first asked for instead of parsing a whole JSON file at load (100k passages: 16 MB, 0.4 s),
 * and they come from the same file version as the passages even after a knowledge swap.
 */
export function writeDocs(docs: DocSummary[], file: string): void {
  const db = new Database(file);
  try {
    db.exec("CREATE TABLE doc (pos INTEGER PRIMARY KEY, json TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO doc VALUES (?, ?)");
    db.transaction(() => docs.forEach((d, i) => insert.run(i, JSON.stringify(d))))();
  } finally {
    db.close();
  }
}

/** Rows kept decoded; enough for every candidate of many questions in a row. */
const KEPT = 4_000;
/** Passages read in one query at most (a question looks at about 40). */
const PREFETCH_BATCH = 64;

/** A decoded row kept in memory, with the search that last moved it to the recent end. */
interface Kept {
  meta: ChunkMeta;
  row: Row;
  epoch: number;
}

export class ChunkStore {
  private db: Database.Database;
  private byLabel: Database.Statement<[number], Row>;
  private rows = new Map<number, Kept>();
  /** Counts searches (one prefetch each): a row moves to the recent end once per search, not on every read. */
  private epoch = 0;
  /** Passage ids by label (the hnswlib label is the position). */
  readonly ids: string[];
  readonly chunks: Chunk[];

  constructor(file: string) {
    // Closed by better-sqlite3 when the store is garbage-collected after a knowledge swap; an answer still
    // being composed from the old store keeps it alive until it is done.
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.byLabel = this.db.prepare<[number], Row>("SELECT meta, text, search, terms, phrasings FROM chunk WHERE label = ?");
    // pluck: plain strings, no row object per passage (100k passages: about 0.1 s less at load).
    this.ids = this.db.prepare<[], string>("SELECT chunk_id FROM chunk ORDER BY label").pluck().all();
    this.chunks = this.ids.map((_, i) => new StoredChunk(this, i));
  }

  /**
   * Reads the passages a question is about to look at that are not kept yet, in one query: one statement per
   * passage cost about 20 µs each, one for all of them about 9 µs each (measured on 100k passages).
   */
  prefetch(labels: number[]): void {
    this.epoch++;
    const missing = [...new Set(labels)].filter((l) => !this.rows.has(l));
    for (let i = 0; i < missing.length; i += PREFETCH_BATCH) {
      const part = missing.slice(i, i + PREFETCH_BATCH);
      for (const r of this.batch(part.length).all(...part)) {
        // The same fields as a full row (texts read later): one object shape for every row kept.
        const row: Row = { meta: r.meta, text: undefined, search: undefined, terms: r.terms, phrasings: r.phrasings };
        this.keep(r.label, { meta: parseMeta(r.meta), row, epoch: this.epoch });
      }
    }
  }

  private batches = new Map<number, Database.Statement<number[], Row & { label: number }>>();
  private batch(n: number): Database.Statement<number[], Row & { label: number }> {
    let st = this.batches.get(n);
    if (!st) {
      // Without the texts: of the ~40 candidates of a question only the few judged ones are shown, and at 100k
      // passages the texts of the others were most of what each question allocated.
      st = this.db.prepare<number[], Row & { label: number }>(`SELECT label, meta, terms, phrasings FROM chunk WHERE label IN (${Array(n).fill("?").join(",")})`);
      this.batches.set(n, st);
    }
    return st;
  }

  private keep(label: number, r: Kept): void {
    if (this.rows.size >= KEPT) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(label, r);
  }

  read(label: number): Kept {
    let r = this.rows.get(label);
    if (r) {
      // Least recently used goes first: passages that keep coming up (the real entries among synthetic or
      // older ones) stay decoded. A question reads a candidate's fields dozens of times; moving it once per
      // search keeps that order without three map operations per field.
      if (r.epoch !== this.epoch) {
        this.rows.delete(label);
        this.rows.set(label, r);
        r.epoch = this.epoch;
      }
      return r;
    }
    const row = this.byLabel.get(label);
    if (!row) throw new Error(`chunks.sqlite: Abschnitt ${label} fehlt`);
    r = { meta: parseMeta(row.meta), row, epoch: this.epoch };
    this.keep(label, r);
    return r;
  }

  /** The texts of a row that came from a prefetch. */
  texts(label: number, row: Row): { text: string; search: string } {
    if (row.text === undefined || row.search === undefined) {
      const t = this.textsByLabel.get(label);
      if (!t) throw new Error(`chunks.sqlite: Abschnitt ${label} fehlt`);
      row.text = t.text;
      row.search = t.search;
    }
    return { text: row.text, search: row.search };
  }

  private get textsByLabel(): Database.Statement<[number], { text: string; search: string }> {
    return (this.textStatement ??= this.db.prepare<[number], { text: string; search: string }>("SELECT text, search FROM chunk WHERE label = ?"));
  }

  private textStatement?: Database.Statement<[number], { text: string; search: string }>;

  /** Labels of the passages of one kind (and newsletter issue), without reading every passage. */
  labels(kind: ChunkMeta["kind"], issue?: number): number[] {
    const rows = issue === undefined
      ? this.db.prepare<[string], { label: number }>("SELECT label FROM chunk WHERE kind = ? ORDER BY label").all(kind)
      : this.db.prepare<[string, number], { label: number }>("SELECT label FROM chunk WHERE kind = ? AND issue = ? ORDER BY label").all(kind, issue);
    return rows.map((r) => r.label);
  }

  /** The entry summaries in build order. */
  docs(): DocSummary[] {
    return this.db.prepare<[], string>("SELECT json FROM doc ORDER BY pos").pluck().all().map((j) => JSON.parse(j) as DocSummary);
  }

  /** Every entry id the passages come from. */
  docIds(): Set<string> {
    return new Set(this.db.prepare<[], { doc_id: string }>("SELECT DISTINCT doc_id FROM chunk").all().map((r) => r.doc_id));
  }

  /** The own questions (FAQ question and alternatives) of every FAQ passage, with its entry id. */
  faqPhrasings(): { docId: string; phrasings: string[] }[] {
    return this.db.prepare<[], { meta: string }>("SELECT meta FROM chunk WHERE kind = 'faq' ORDER BY label").all()
      .map((r) => parseMeta(r.meta))
      .map((m) => ({ docId: m.docId, phrasings: m.phrasings ?? [] }));
  }
}

class StoredChunk implements Chunk {
  constructor(private store: ChunkStore, private label: number) {}

  get meta(): ChunkMeta {
    return this.store.read(this.label).meta;
  }

  get text(): string {
    return this.store.texts(this.label, this.store.read(this.label).row).text;
  }

  get searchText(): string {
    return this.store.texts(this.label, this.store.read(this.label).row).search;
  }

  get storedTerms(): string[] | undefined {
    const t = this.store.read(this.label).row.terms;
    return t === null ? undefined : t ? t.split(" ") : [];
  }

  get storedPhrasings(): PhrasingTerms[] | undefined {
    const p = this.store.read(this.label).row.phrasings;
    return p === null ? undefined : (JSON.parse(p) as PhrasingTerms[]);
  }

  /** Serialised like a plain passage (tests, exports). */
  toJSON(): Chunk {
    return { meta: this.meta, text: this.text, searchText: this.searchText };
  }
}
