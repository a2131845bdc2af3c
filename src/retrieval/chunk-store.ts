import { readFile, writeFile } from "node:fs/promises";
import type { Chunk, ChunkMeta } from "./knowledge-types.js";

/**
 * How the passages are kept in the index folder: their metadata in `chunks.json`, their texts as one UTF-8
 * file (`texts.bin`) read in a single call and decoded only when a passage is looked at. At 100k passages the
 * parsed texts of the old single JSON file cost several hundred MB of heap and most of the load time, while a
 * question reads a few dozen passages.
 */
interface StoredMeta {
  meta: ChunkMeta;
  /** Byte offset and length of `text` and of `searchText` in texts.bin. */
  t: [number, number];
  s: [number, number];
  /** The distinct stemmed terms, space-separated (absent in indexes written without them). */
  w?: [number, number];
}

/** `termsOf(i)`: the distinct stemmed terms of passage i, computed once at build (the BM25 build needs them too). */
export async function writeChunks(chunks: Chunk[], metaFile: string, textFile: string, termsOf?: (i: number) => string[]): Promise<void> {
  const parts: Buffer[] = [];
  let at = 0;
  const place = (text: string): [number, number] => {
    const b = Buffer.from(text, "utf8");
    parts.push(b);
    at += b.length;
    return [at - b.length, b.length];
  };
  const stored: StoredMeta[] = chunks.map((c, i) => ({ meta: c.meta, t: place(c.text), s: place(c.searchText), ...(termsOf ? { w: place(termsOf(i).join(" ")) } : {}) }));
  await writeFile(textFile, Buffer.concat(parts));
  await writeFile(metaFile, JSON.stringify(stored));
}

/** Decoded texts kept per store; enough for every candidate of many questions in a row. */
const DECODED = 4_000;

class TextStore {
  private decoded = new Map<string, string>();

  constructor(private bytes: Buffer) {}

  read(key: string, [offset, length]: [number, number]): string {
    let s = this.decoded.get(key);
    if (s === undefined) {
      s = this.bytes.toString("utf8", offset, offset + length);
      if (this.decoded.size >= DECODED) this.decoded.clear();
      this.decoded.set(key, s);
    }
    return s;
  }
}

class StoredChunk implements Chunk {
  constructor(readonly meta: ChunkMeta, private store: TextStore, private t: [number, number], private s: [number, number], private w?: [number, number]) {}

  get storedTerms(): string[] | undefined {
    if (!this.w) return undefined;
    const s = this.store.read(`w${this.w[0]}`, this.w);
    return s ? s.split(" ") : [];
  }

  get text(): string {
    return this.store.read(`t${this.t[0]}`, this.t);
  }

  get searchText(): string {
    return this.store.read(`s${this.s[0]}`, this.s);
  }

  /** Serialised like a plain passage (tests, exports). */
  toJSON(): Chunk {
    return { meta: this.meta, text: this.text, searchText: this.searchText };
  }
}

export async function readChunks(metaFile: string, textFile: string): Promise<Chunk[]> {
  const [stored, bytes] = await Promise.all([readFile(metaFile, "utf8").then((j) => JSON.parse(j) as StoredMeta[]), readFile(textFile)]);
  const store = new TextStore(bytes);
  return stored.map((m) => new StoredChunk(m.meta, store, m.t, m.s, m.w));
}
