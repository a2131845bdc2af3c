import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ChunkStore, phrasingTerms, writeChunks } from "../../src/retrieval/chunk-store.js";
import type { Chunk, ChunkMeta } from "../../src/retrieval/knowledge-types.js";

const dir = mkdtempSync(join(tmpdir(), "ortslotse-chunks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (id: string, more: Partial<ChunkMeta> = {}): ChunkMeta => ({ chunkId: id, docId: id.split("#")[0], kind: "faq", title: `Titel ${id}`, section: "", file: `faq/${id}.md`, topics: ["ehrenamt"], legal: false, ...more });
const chunks: Chunk[] = [
  { meta: meta("a", { phrasings: ["Wie hoch ist die Ehrenamtspauschale?", "Ehrenamtspauschale Höhe"] }), text: "Die Ehrenamtspauschale beträgt 840 Euro im Jahr.", searchText: "Wie hoch ist die Ehrenamtspauschale? Die Ehrenamtspauschale beträgt 840 Euro im Jahr." },
  { meta: meta("nl-2021-03#2", { kind: "newsletter", issue: 9, section: "Bürgerbus" }), text: "Größe, Maß, „Anführungszeichen“ – und ein 🚌.", searchText: "Bürgerbus 🚌 Größe" },
  { meta: meta("nl-2021-03#1", { kind: "newsletter", issue: 9 }), text: "", searchText: "" },
  { meta: meta("nl-2021-04#1", { kind: "newsletter", issue: 10 }), text: "April", searchText: "April" },
];

describe("passages in the index folder (one SQLite file, read when looked at)", () => {
  it("reads back every passage exactly, multi-byte characters included", () => {
    writeChunks(chunks, join(dir, "a.sqlite"));
    const store = new ChunkStore(join(dir, "a.sqlite"));
    expect(store.ids).toEqual(chunks.map((c) => c.meta.chunkId));
    expect(store.chunks.map((c) => ({ meta: c.meta, text: c.text, searchText: c.searchText }))).toEqual(chunks);
    expect(JSON.parse(JSON.stringify(store.chunks))).toEqual(chunks);
    expect(store.chunks.map((c) => c.storedTerms)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("stores each passage's terms when given, and reads them back", () => {
    const termsOf = (i: number) => [["ehrenamtspauschal", "840"], ["grosse", "🚌"], [], ["april"]][i];
    writeChunks(chunks, join(dir, "b.sqlite"), termsOf);
    const store = new ChunkStore(join(dir, "b.sqlite"));
    expect(store.chunks.map((c) => c.storedTerms)).toEqual([0, 1, 2, 3].map(termsOf));
    expect(store.chunks[0].text).toBe(chunks[0].text);
  });

  it("stores each own phrasing's terms and words, so a search does not stem them again", () => {
    writeChunks(chunks, join(dir, "p.sqlite"));
    const store = new ChunkStore(join(dir, "p.sqlite"));
    expect(store.chunks[0].storedPhrasings).toEqual([
      { terms: ["hoch", "ehrenamtspauschal"], words: ["wie", "hoch", "ist", "die", "ehrenamtspauschale"] },
      { terms: ["ehrenamtspauschal", "hoh"], words: ["ehrenamtspauschale", "hoehe"] },
    ]);
    expect(store.chunks[0].storedPhrasings).toEqual(phrasingTerms(chunks[0].meta));
    expect(store.chunks[1].storedPhrasings).toBeUndefined();
  });

  it("answers the whole-base questions without reading each passage: an issue, the entry ids, the FAQ questions", () => {
    writeChunks(chunks, join(dir, "c.sqlite"));
    const store = new ChunkStore(join(dir, "c.sqlite"));
    expect(store.labels("newsletter", 9)).toEqual([1, 2]);
    expect(store.labels("newsletter", 11)).toEqual([]);
    expect(store.labels("faq")).toEqual([0]);
    expect([...store.docIds()].sort()).toEqual(["a", "nl-2021-03", "nl-2021-04"]);
    expect(store.faqPhrasings()).toEqual([{ docId: "a", phrasings: ["Wie hoch ist die Ehrenamtspauschale?", "Ehrenamtspauschale Höhe"] }]);
  });

  it("a rebuild writes a fresh file, and a store opened before keeps reading its own version", () => {
    const file = join(dir, "d.sqlite");
    writeChunks(chunks.slice(0, 1), file);
    const before = new ChunkStore(file);
    writeChunks(chunks, file);
    expect(before.ids).toEqual(["a"]);
    expect(before.chunks[0].text).toBe(chunks[0].text);
    expect(new ChunkStore(file).ids).toHaveLength(4);
  });

  it("reads the passages a question will look at in one go, with the same content as one by one", () => {
    const many: Chunk[] = Array.from({ length: 150 }, (_, i) => ({ meta: meta(`m${i}`), text: `Text ${i} – Größe`, searchText: `Suche ${i}` }));
    writeChunks(many, join(dir, "e.sqlite"), (i) => [`t${i}`]);
    const one = new ChunkStore(join(dir, "e.sqlite"));
    const batched = new ChunkStore(join(dir, "e.sqlite"));
    const labels = [3, 149, 3, 70, ...Array.from({ length: 100 }, (_, i) => i + 20)];
    batched.prefetch(labels);
    batched.prefetch(labels);
    // The texts of prefetched passages are read only when a passage is shown (most candidates never are).
    expect(batched.read(70).row.text).toBeUndefined();
    const content = (c: Chunk) => ({ meta: c.meta, text: c.text, searchText: c.searchText, terms: c.storedTerms, phrasings: c.storedPhrasings });
    for (const l of labels) expect(content(batched.chunks[l])).toEqual(content(one.chunks[l]));
    expect(batched.read(70).row.text).toBe("Text 70 – Größe");
    expect(batched.chunks[149].storedTerms).toEqual(["t149"]);
  });
});
