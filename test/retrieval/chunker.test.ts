import { describe, expect, it } from "vitest";
import { chunkDoc } from "../../src/retrieval/chunker.js";
import type { KnowledgeDoc } from "../../src/retrieval/knowledge-types.js";

describe("what a passage is searched by", () => {
  it("keeps a link's name and leaves out web addresses, while the text shown keeps them", async () => {
    const text =
      "Die Ehrenamtspauschale beträgt 960 Euro im Jahr.\n\nQuelle: [Übungsleiter- und Ehrenamtspauschale](https://example.org/steuer/uebungsleiterpauschale?mode=9999&cHash=d570ea15) · Stand: Januar 2026\nMehr unter https://www.example.org/ehrenamt-foerderung oder www.example.org/kontakt.";
    const doc = {
      kind: "newsletter", id: "nl-2026-01", file: "2026-01-test.md", hash: "x", title: "Newsletter", date: "2026-01-15", stand: "2026-01-15",
      link: "https://example.org", topics: [], legal: false, sections: [{ heading: "Steuer: Pauschalen", text }],
    } as unknown as KnowledgeDoc;
    const [chunk] = await chunkDoc(doc);
    expect(chunk.searchText).toContain("Quelle: Übungsleiter- und Ehrenamtspauschale · Stand: Januar 2026");
    expect(chunk.searchText).not.toMatch(/example\.org|9999|chash|kontakt|ehrenamt-foerderung/i);
    expect(chunk.text).toBe(text);
  });
});
