import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readChunks, writeChunks } from "../../src/retrieval/chunk-store.js";
import type { Chunk } from "../../src/retrieval/knowledge-types.js";

const dir = mkdtempSync(join(tmpdir(), "ortslotse-chunks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (id: string) => ({ chunkId: id, docId: id, kind: "faq" as const, title: `Titel ${id}`, section: "", file: `faq/${id}.md`, topics: ["ehrenamt"], legal: false });
const chunks: Chunk[] = [
  { meta: meta("a"), text: "Die Ehrenamtspauschale beträgt 840 Euro im Jahr.", searchText: "Wie hoch ist die Ehrenamtspauschale? Die Ehrenamtspauschale beträgt 840 Euro im Jahr." },
  { meta: meta("b"), text: "Größe, Maß, „Anführungszeichen“ – und ein 🚌.", searchText: "Bürgerbus 🚌 Größe" },
  { meta: meta("c"), text: "", searchText: "" },
];

describe("passages in the index folder (metadata + one text file)", () => {
  it("reads back every passage exactly, multi-byte characters included", async () => {
    await writeChunks(chunks, join(dir, "chunks.json"), join(dir, "texts.bin"));
    const back = await readChunks(join(dir, "chunks.json"), join(dir, "texts.bin"));
    expect(back.map((c) => ({ meta: c.meta, text: c.text, searchText: c.searchText }))).toEqual(chunks);
    expect(JSON.parse(JSON.stringify(back))).toEqual(chunks);
  });

  it("stores each passage's terms when given, and reads them back", async () => {
    const termsOf = (i: number) => [["ehrenamtspauschal", "840"], ["grosse", "🚌"], []][i];
    await writeChunks(chunks, join(dir, "chunks.json"), join(dir, "texts.bin"), termsOf);
    const back = await readChunks(join(dir, "chunks.json"), join(dir, "texts.bin"));
    expect(back.map((c) => c.storedTerms)).toEqual([0, 1, 2].map(termsOf));
    expect(back[0].text).toBe(chunks[0].text);
  });

  it("keeps the texts out of the metadata file", async () => {
    await writeChunks(chunks, join(dir, "chunks.json"), join(dir, "texts.bin"));
    const bytes = chunks.reduce((a, c) => a + Buffer.byteLength(c.text) + Buffer.byteLength(c.searchText), 0);
    expect(statSync(join(dir, "texts.bin")).size).toBe(bytes);
  });
});
