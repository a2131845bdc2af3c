import type { LocalFileStore } from "langchain/storage/file_system";
import type { EncoderBackedStore } from "langchain/storage/encoder_backed";
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { sha256 } from "./markdown-loader.js";

/** Files written or read at once: one per vector, so an unbounded batch would run out of file handles. */
const BATCH = 256;

/**
 * Vectors already computed, by passage text, kept between builds so that an unchanged passage is never
 * embedded again (with a paid embedding service that is money). langchain's LocalFileStore keeps one
 * file per vector (written atomically), its EncoderBackedStore turns text into a file name (sha256 of
 * embedder id and text) and a vector into 4 bytes per dimension. One folder per embedder: a new model
 * never reads another model's vectors.
 */
export class EmbeddingCache {
  private constructor(
    private root: string,
    private bytes: LocalFileStore,
    private store: EncoderBackedStore<string, number[], Uint8Array>,
  ) {}

  static async open(dataDir: string, embedderId: string): Promise<EmbeddingCache> {
    const base = join(dataDir, "embed-cache");
    const root = join(base, sha256(embedderId).slice(0, 16));
    // langchain (with @langchain/core about 40 MB) is loaded when an index is built, not by every instance.
    const [{ LocalFileStore }, { EncoderBackedStore }] = await Promise.all([
      import("langchain/storage/file_system"),
      import("langchain/storage/encoder_backed"),
    ]);
    const bytes = await LocalFileStore.fromPath(root);
    const store = new EncoderBackedStore<string, number[], Uint8Array>({
      store: bytes,
      keyEncoder: (text) => keyOf(embedderId, text),
      valueSerializer: (v) => new Uint8Array(Float32Array.from(v).buffer),
      // Copied: a file's bytes need not sit at an offset a Float32Array can view.
      valueDeserializer: (b) => Array.from(new Float32Array(Uint8Array.from(b).buffer)),
    });
    const cache = new EmbeddingCache(root, bytes, store);
    await cache.importLegacy(dataDir, embedderId);
    // Vectors of an embedder no longer configured are of no use.
    for (const dir of await readdir(base)) if (join(base, dir) !== root) await rm(join(base, dir), { recursive: true, force: true });
    return cache;
  }

  async get(texts: string[]): Promise<(number[] | undefined)[]> {
    const out: (number[] | undefined)[] = [];
    for (let i = 0; i < texts.length; i += BATCH) out.push(...(await this.store.mget(texts.slice(i, i + BATCH))));
    return out;
  }

  async set(pairs: [string, number[]][]): Promise<void> {
    for (let i = 0; i < pairs.length; i += BATCH) await this.store.mset(pairs.slice(i, i + BATCH));
  }

  /** Forgets every vector whose text is not among `texts` (passages removed from the knowledge). */
  async keepOnly(texts: string[], embedderId: string): Promise<number> {
    const keep = new Set(texts.map((t) => keyOf(embedderId, t)));
    const drop: string[] = [];
    for await (const key of this.bytes.yieldKeys()) if (!keep.has(key)) drop.push(key);
    for (let i = 0; i < drop.length; i += BATCH) await this.bytes.mdelete(drop.slice(i, i + BATCH));
    return drop.length;
  }

  get folder(): string {
    return this.root;
  }

  /** Indexes built before kept their vectors in index/embed-cache.{json,f32} under the same keys: moved over once. */
  private async importLegacy(dataDir: string, embedderId: string): Promise<void> {
    const keysFile = join(dataDir, "index", "embed-cache.json");
    const vectorsFile = join(dataDir, "index", "embed-cache.f32");
    if (!existsSync(keysFile)) return;
    try {
      const meta = JSON.parse(await readFile(keysFile, "utf8")) as { embedderId: string; dims: number; keys: string[] };
      if (meta.embedderId === embedderId) {
        const all = await readFile(vectorsFile);
        const size = meta.dims * 4;
        const pairs = meta.keys.map((k, i) => [k, new Uint8Array(all.subarray(i * size, (i + 1) * size))] as [string, Uint8Array]);
        for (let i = 0; i < pairs.length; i += BATCH) await this.bytes.mset(pairs.slice(i, i + BATCH));
      }
    } catch {
      // A damaged old cache only means embedding again.
    }
    await rm(keysFile, { force: true });
    await rm(vectorsFile, { force: true });
  }
}

const keyOf = (embedderId: string, text: string) => sha256(embedderId + "\u0000" + text);
