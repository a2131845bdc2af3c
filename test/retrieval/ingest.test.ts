import { describe, expect, it } from "vitest";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadKnowledge } from "../../src/retrieval/load-knowledge.js";
import { buildIndex, staleReason, summarize } from "../../src/retrieval/build-index.js";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.js";
import { HybridRetriever } from "../../src/retrieval/hybrid-retriever.js";
import { copyKnowledge, tempDir } from "../support/temp.js";
import { sha256 } from "../../src/retrieval/markdown-loader.js";
import { openKnowledge } from "../../src/retrieval/knowledge-base.js";
import { indexPaths } from "../../src/retrieval/index-files.js";
import { createLogger } from "../../src/logger.js";
import { writeSyntheticKnowledge } from "../../src/bench/synthetic-corpus.js";

describe("knowledge ingestion", () => {
  it("reads Markdown newsletters, FAQ entries and an HTML newsletter from the inbox", async () => {
    const { docs, problems } = await loadKnowledge(resolve("test/fixtures/knowledge"));
    expect(problems).toEqual([]);
    const html = docs.find((d) => d.origin === "html")!;
    expect(html.title).toBe("Newsletter Nr. 11 – Mai 2021: Dorfläden");
    expect(html.date).toBe("2021-05-17");
    expect(html.issue).toBe(11);
    expect(html.topics).toEqual(["dorfladen", "nahversorgung"]);
    expect(html.sections[0].heading).toBe("Dorfladen Mandern");
    expect(html.sections[0].text).toContain("Bürgergenossenschaft");
    expect(html.sections[0].link).toBe("https://example.org/mandern");
    // The e-mail footer is not knowledge.
    expect(html.sections.map((s) => s.text).join(" ")).not.toMatch(/Abmelden/);
    const nl = docs.find((d) => d.id === "nl-2021-03")!;
    expect(nl.sections.map((s) => s.heading)).toEqual(["Förderung: Bürgerbus", "Recht: Zeichen wie <b> & Co.", "Kontakt"]);
    expect(nl.sections[0].programme).toBe("landmobil-buergerbus");
    expect(nl.sections[0].link).toBe("https://example.org/landmobil");
  });

  it("reports a broken PDF, an empty file, a file without front matter and a too-long FAQ by name and goes on", async () => {
    const k = copyKnowledge();
    try {
      cpSync(resolve("test/fixtures/broken"), join(k.dir, "inbox"), { recursive: true });
      const { docs, problems } = await loadKnowledge(k.dir);
      const files = problems.map((p) => p.file).sort();
      expect(files).toEqual([
        "inbox/2021-06-01-ausgabe-12-kaputt.pdf",
        "inbox/empty.md",
        "inbox/faq-too-long.md",
        "inbox/no-front-matter.md",
      ]);
      expect(problems.find((p) => p.file.endsWith(".pdf"))!.message).toMatch(/PDF-Datei ist beschädigt/);
      expect(problems.find((p) => p.file.endsWith("faq-too-long.md"))!.message).toMatch(/130 Wörter/);
      expect(docs.length).toBe(6);
    } finally {
      k.cleanup();
    }
  });

  it("indexes incrementally: unchanged text is not re-embedded, changes and deletions are reflected", async () => {
    const k = copyKnowledge();
    const d = tempDir();
    const calls: number[] = [];
    const base = new HashedNgramEmbedder();
    // Stands in for a paid embedding service, whose vectors are cached.
    const counting = Object.assign(Object.create(base), {
      cacheable: true,
      embedDocuments: async (texts: string[]) => {
        calls.push(texts.length);
        return base.embedDocuments(texts);
      },
    });
    try {
      const first = await buildIndex({ knowledgeDir: k.dir, dataDir: d.dir, embedder: counting });
      expect(first.reused).toBe(0);
      expect(first.embedded).toBeGreaterThan(0);
      expect(await staleReason(k.dir, d.dir, base.id)).toBeUndefined();

      const second = await buildIndex({ knowledgeDir: k.dir, dataDir: d.dir, embedder: counting });
      expect(second.embedded).toBe(0);
      expect(second.reused).toBe(second.chunks);
      expect(calls).toHaveLength(1);

      const faq = join(k.dir, "faq/faq-dorfladen-rechtsform.md");
      writeFileSync(faq, readFileSync(faq, "utf8").replace("Mandern", "Mandern (VG Saarburg-Kell)"));
      rmSync(join(k.dir, "newsletter/2020-07-start.md"));
      expect(await staleReason(k.dir, d.dir, base.id)).toMatch(/added or removed|changed/);
      const third = await buildIndex({ knowledgeDir: k.dir, dataDir: d.dir, embedder: counting });
      expect(third.embedded).toBe(1);
      expect(third.changed).toEqual(["faq/faq-dorfladen-rechtsform.md"]);
      expect(third.removed).toEqual(["newsletter/2020-07-start.md"]);
      const r = await HybridRetriever.load(d.dir, base);
      expect(r.chunks.some((c) => c.meta.docId === "nl-2020-07")).toBe(false);
      // The cache keeps one vector per passage text in use: removed and replaced passages are forgotten.
      expect(readdirSync(join(d.dir, "embed-cache"))).toHaveLength(1);
      const cached = readdirSync(join(d.dir, "embed-cache", readdirSync(join(d.dir, "embed-cache"))[0]));
      expect(cached).toHaveLength(new Set(r.chunks.map((c) => c.searchText)).size);
      expect(r.chunks.find((c) => c.meta.docId === "faq-dorfladen-rechtsform")!.text).toContain("VG Saarburg-Kell");
    } finally {
      k.cleanup();
      d.cleanup();
    }
  });

  it("moves the vectors of an index built before (index/embed-cache.json and .f32) into the cache, embedding nothing again", async () => {
    const d = tempDir();
    const base = new HashedNgramEmbedder();
    let embedded = 0;
    const counting = Object.assign(Object.create(base), {
      cacheable: true,
      embedDocuments: async (texts: string[]) => {
        embedded += texts.length;
        return base.embedDocuments(texts);
      },
    });
    try {
      const knowledgeDir = resolve("test/fixtures/knowledge");
      await buildIndex({ knowledgeDir, dataDir: d.dir, embedder: base });
      // The layout before: every vector in one file beside the index, keyed by sha256(embedder id + NUL + text).
      const r = await HybridRetriever.load(d.dir, base);
      const texts = [...new Set(r.chunks.map((c) => c.searchText))];
      const vectors = await base.embedDocuments(texts);
      const flat = new Float32Array(texts.length * base.dims);
      vectors.forEach((v, i) => flat.set(v, i * base.dims));
      writeFileSync(join(d.dir, "index/embed-cache.json"), JSON.stringify({ embedderId: base.id, dims: base.dims, keys: texts.map((t) => sha256(base.id + "\u0000" + t)) }));
      writeFileSync(join(d.dir, "index/embed-cache.f32"), Buffer.from(flat.buffer));
      rmSync(join(d.dir, "embed-cache"), { recursive: true, force: true });
      const again = await buildIndex({ knowledgeDir, dataDir: d.dir, embedder: counting });
      expect(embedded).toBe(0);
      expect(again.reused).toBe(again.chunks);
      expect(existsSync(join(d.dir, "index/embed-cache.json"))).toBe(false);
    } finally {
      d.cleanup();
    }
  });

  it("keeps the old index and leaves no half-built folder when embedding fails after the graph has started", async () => {
    const d = tempDir();
    try {
      const base = new HashedNgramEmbedder();
      const knowledgeDir = join(d.dir, "knowledge");
      // More passages than one embedding batch, so the graph is already growing on its thread when the second batch
      // fails (the first call embeds the sample the index's map is fitted on).
      await writeSyntheticKnowledge({ sourceDir: resolve("test/fixtures/knowledge"), outDir: knowledgeDir, chunks: 1500 });
      const dataDir = join(d.dir, "data");
      const first = await buildIndex({ knowledgeDir, dataDir, embedder: base });
      expect(first.chunks).toBeGreaterThan(1024);
      expect(JSON.parse(readFileSync(indexPaths(dataDir).manifest, "utf8")).dims).toBe(256);
      const before = readFileSync(join(indexPaths(dataDir).dir, "hnsw/hnswlib.index"));
      const map = readFileSync(indexPaths(dataDir).projection);
      let calls = 0;
      const failing = Object.assign(Object.create(base), {
        id: base.id + ":other",
        embedDocuments: async (texts: string[]) => {
          if (++calls === 3) throw new Error("Embedding-Dienst nicht erreichbar");
          return base.embedDocuments(texts);
        },
      });
      await expect(buildIndex({ knowledgeDir, dataDir, embedder: failing })).rejects.toThrow(/nicht erreichbar/);
      expect(calls).toBe(3);
      expect(readdirSync(dataDir).filter((f) => f.includes(".tmp-"))).toEqual([]);
      expect(readFileSync(join(indexPaths(dataDir).dir, "hnsw/hnswlib.index")).equals(before)).toBe(true);
      expect(readFileSync(indexPaths(dataDir).projection).equals(map)).toBe(true);
      const r = await HybridRetriever.load(dataDir, base);
      expect((await r.search("Bürgerbus Förderung")).hits.length).toBeGreaterThan(0);
    } finally {
      d.cleanup();
    }
  });

  it("keeps no vector cache for the offline embedder (recomputing is cheaper than a file per vector)", async () => {
    const d = tempDir();
    try {
      const base = new HashedNgramEmbedder();
      const first = await buildIndex({ knowledgeDir: resolve("test/fixtures/knowledge"), dataDir: d.dir, embedder: base });
      const again = await buildIndex({ knowledgeDir: resolve("test/fixtures/knowledge"), dataDir: d.dir, embedder: base });
      expect(existsSync(join(d.dir, "embed-cache"))).toBe(false);
      expect(again.embedded).toBe(first.embedded);
      expect(again.reused).toBe(0);
      expect(first.timings.embedMs).toBeGreaterThan(0);
      expect(first.timings.vectorMs).toBeGreaterThan(0);
    } finally {
      d.cleanup();
    }
  });

  it("rebuilds an index whose passage file is damaged instead of failing to start", async () => {
    const k = copyKnowledge();
    const data = tempDir();
    try {
      const log = createLogger("silent");
      const first = await openKnowledge({ knowledgeDir: k.dir, dataDir: data.dir, embedder: new HashedNgramEmbedder(), log });
      const size = first.retriever.size;
      // A half-copied or overwritten file next to a manifest that still matches the knowledge.
      writeFileSync(indexPaths(data.dir).chunks, "kaputt");
      expect(await staleReason(k.dir, data.dir, new HashedNgramEmbedder().id)).toBeUndefined();
      const again = await openKnowledge({ knowledgeDir: k.dir, dataDir: data.dir, embedder: new HashedNgramEmbedder(), log });
      expect(again.report).toBeDefined();
      expect(again.retriever.size).toBe(size);
      expect((await again.retriever.search("Bürgerbus", 3)).hits.length).toBeGreaterThan(0);
    } finally {
      k.cleanup();
      data.cleanup();
    }
  });

  it("rebuilds when the embedder changes", async () => {
    const d = tempDir();
    try {
      const a = new HashedNgramEmbedder();
      await buildIndex({ knowledgeDir: resolve("test/fixtures/knowledge"), dataDir: d.dir, embedder: a });
      const b = new HashedNgramEmbedder({ dims: 256 });
      expect(await staleReason(resolve("test/fixtures/knowledge"), d.dir, b.id)).toMatch(/embedder changed/);
      const r = await buildIndex({ knowledgeDir: resolve("test/fixtures/knowledge"), dataDir: d.dir, embedder: b });
      expect(r.reused).toBe(0);
      const manifest = JSON.parse(readFileSync(join(d.dir, "index/manifest.json"), "utf8"));
      expect(manifest.embedderId).toBe(b.id);
      expect(manifest.dims).toBe(256);
    } finally {
      d.cleanup();
    }
  });
});

describe("entry summaries (digest, staff pages)", () => {
  const doc = (answer: string) => ({ faq: { answer }, sections: [], title: "T" }) as unknown as Parameters<typeof summarize>[0];
  it("takes the first sentence, a second one after a bare Ja/Nein, and does not stop at z. B. or Nr.", () => {
    expect(summarize(doc("Ja. Über die Unfallkasse Rheinland-Pfalz. Mehr steht im Newsletter."))).toBe("Ja. Über die Unfallkasse Rheinland-Pfalz.");
    expect(summarize(doc("Gefördert werden Vereine, z. B. Musikvereine und Nr. 3 der Liste. Dann mehr."))).toBe("Gefördert werden Vereine, z. B. Musikvereine und Nr. 3 der Liste.");
    expect(summarize(doc("Die Ortsgemeinde zahlt die Versicherung für alle Helfer. Zweiter Satz."))).toBe("Die Ortsgemeinde zahlt die Versicherung für alle Helfer.");
    // A date's day ends in a dot too (user test: the digest read "beantragt die Ortsgemeinde bis zum 26.").
    expect(summarize(doc("Den Zuschuss beantragt die Ortsgemeinde bis zum 26. Februar 2027 beim Kreis. Danach nicht mehr."))).toBe("Den Zuschuss beantragt die Ortsgemeinde bis zum 26. Februar 2027 beim Kreis.");
  });
});
