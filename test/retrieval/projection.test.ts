import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { evenSample, Projection } from "../../src/retrieval/projection.js";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.js";
import { buildIndex } from "../../src/retrieval/build-index.js";
import { HybridRetriever } from "../../src/retrieval/hybrid-retriever.js";
import { indexPaths } from "../../src/retrieval/index-files.js";
import { writeSyntheticKnowledge } from "../../src/bench/synthetic-corpus.js";
import { tempDir } from "../support/temp.js";
import { openKnowledge } from "../../src/retrieval/knowledge-base.js";
import { createLogger } from "../../src/logger.js";

const TOPICS = ["Dorfladen", "Bürgerbus", "Ehrenamtskarte", "Unfallversicherung", "Kirmes", "Spielplatz", "Friedhof", "Mitfahrbank",
  "Dorfmoderation", "LEADER", "Kreisstiftung", "Nachbarschaftshilfe", "Gemeindeschwester", "Vereinsfest", "Jugendraum"];
const WORDS = ["Förderung", "Antrag", "Frist", "Zuschuss", "Helfer", "Gemeinde", "Verein", "Versicherung", "Haftung", "Kosten",
  "Ansprechpartner", "Richtlinie", "Bewilligung", "Eigenanteil", "Projekt", "Ortsbürgermeister", "Satzung", "Termin"];

/** 400 short passages, each about one topic with a few of the common words (fixed, no randomness). */
function passages(): string[] {
  return Array.from({ length: 400 }, (_, i) => {
    const w = [0, 1, 2, 3].map((k) => WORDS[(i * 7 + k * 5) % WORDS.length]);
    return `${TOPICS[i % TOPICS.length]} ${TOPICS[(i * 3 + 1) % TOPICS.length]} ${w.join(" ")} Nummer${i}`;
  });
}

const cos = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe("Projection (the index's map to fewer dimensions)", () => {
  const e = new HashedNgramEmbedder();
  const texts = passages();
  const vectors = texts.map((t) => e.embedText(t));

  it("is the same map on every fit, reduces to unit vectors of the wanted size and survives the file", () => {
    const a = Projection.fit(vectors, 256);
    const b = Projection.fit(vectors, 256);
    expect(a.toBuffer().equals(b.toBuffer())).toBe(true);
    const y = a.apply(e.embedText("Wer fördert einen Dorfladen?"));
    expect(y.length).toBe(256);
    expect(cos(y, y)).toBeCloseTo(1, 5);
    const back = Projection.fromBuffer(a.toBuffer());
    expect(Array.from(back.apply(vectors[3]))).toEqual(Array.from(a.apply(vectors[3])));
    expect(() => Projection.fromBuffer(a.toBuffer().subarray(0, 100))).toThrow(/projection file/);
  });

  it("keeps which passage is nearest to a question (a passage with a typo finds itself)", () => {
    const p = Projection.fit(vectors, 256);
    const reduced = vectors.map((v) => p.apply(v));
    let same = 0;
    texts.forEach((t, i) => {
      const q = t.replace(/e/, "ee"); // one typo
      const full = e.embedText(q);
      const small = p.apply(full);
      const best = (vs: ArrayLike<number>[], x: ArrayLike<number>) => vs.reduce((bi, v, j) => (cos(v, x) > cos(vs[bi], x) ? j : bi), 0);
      if (best(reduced, small) === best(vectors, full)) same++;
      expect(best(reduced, small)).toBe(i);
    });
    expect(same).toBe(texts.length);
  });

  it("maps a vector as the plain matrix product does, for any number of output dimensions", () => {
    // 7 outputs: the unrolled loop's four-at-a-time part and its tail.
    const from = 10, to = 7;
    const m = Float32Array.from({ length: from * to }, (_, i) => Math.sin(i + 1));
    const p = new Projection(from, to, m);
    const v = Array.from({ length: from }, (_, i) => (i % 3 === 0 ? 0 : Math.cos(i)));
    const y = Array.from({ length: to }, (_, j) => v.reduce((a, x, i) => (x ? a + x * m[i * to + j] : a), 0));
    const norm = Math.sqrt(y.reduce((a, x) => a + x * x, 0));
    const { unit, norm: got } = p.reduce(v);
    expect(got).toBe(norm);
    expect([...unit]).toEqual(y.map((x) => Math.fround(x / norm)));
  });

  it("cannot make more dimensions than it has passages or input dimensions", () => {
    expect(() => Projection.fit(vectors.slice(0, 100), 256)).toThrow(/cannot give 256/);
  });

  it("samples evenly and deterministically", () => {
    const items = Array.from({ length: 2000 }, (_, i) => i);
    const s = evenSample(items, 512);
    expect(s.length).toBe(512);
    expect(s[0]).toBe(0);
    expect(s[511]).toBeGreaterThan(1990);
    expect(evenSample(items, 512)).toEqual(s);
    expect(evenSample(items.slice(0, 10), 512)).toEqual(items.slice(0, 10));
  });
});

describe("an index with a map", () => {
  it("stores 256-dim vectors with its map when it has more distinct passages than that, and searches through the map", async () => {
    const d = tempDir();
    try {
      const embedder = new HashedNgramEmbedder();
      const knowledgeDir = join(d.dir, "knowledge");
      await writeSyntheticKnowledge({ sourceDir: resolve("test/fixtures/knowledge"), outDir: knowledgeDir, chunks: 600 });
      const dataDir = join(d.dir, "data");
      await buildIndex({ knowledgeDir, dataDir, embedder });
      const p = indexPaths(dataDir);
      expect(JSON.parse(readFileSync(p.manifest, "utf8")).dims).toBe(256);
      expect(existsSync(p.projection)).toBe(true);
      const r = await HybridRetriever.load(dataDir, embedder);
      expect((await r.queryVector("Bürgerbus Förderung")).length).toBe(256);
      const { hits } = await r.search("Wer fördert einen Bürgerbus?");
      expect(hits.length).toBeGreaterThan(0);
      // The similarity the confidence reads is the embedder's own, not the higher one of the reduced space.
      const full = embedder.embedText("Wer fördert einen Bürgerbus?");
      // (Reduced and made unit length again, a question's cosine rises by 1 / the share kept: here by 0.09–0.17.)
      const diffs = hits.map((h) => Math.abs(h.vectorSim - cos(full, embedder.embedText(h.chunk.searchText))));
      expect(Math.max(...diffs)).toBeLessThan(0.06);
      expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(0.02);
      // The same knowledge gives the same map: several instances answer alike.
      const again = join(d.dir, "data2");
      await buildIndex({ knowledgeDir, dataDir: again, embedder });
      expect(readFileSync(indexPaths(again).projection).equals(readFileSync(p.projection))).toBe(true);
    } finally {
      d.cleanup();
    }
  });

  it("rebuilds an index whose map file is damaged instead of failing to start", async () => {
    const d = tempDir();
    try {
      const knowledgeDir = join(d.dir, "knowledge");
      const dataDir = join(d.dir, "data");
      await writeSyntheticKnowledge({ sourceDir: resolve("test/fixtures/knowledge"), outDir: knowledgeDir, chunks: 600 });
      const log = createLogger("silent");
      await openKnowledge({ knowledgeDir, dataDir, embedder: new HashedNgramEmbedder(), log });
      const good = readFileSync(indexPaths(dataDir).projection);
      writeFileSync(indexPaths(dataDir).projection, good.subarray(0, 100));
      const again = await openKnowledge({ knowledgeDir, dataDir, embedder: new HashedNgramEmbedder(), log });
      expect(again.report).toBeDefined();
      expect(readFileSync(indexPaths(dataDir).projection).equals(good)).toBe(true);
      expect((await again.retriever.search("Bürgerbus Förderung")).hits.length).toBeGreaterThan(0);
    } finally {
      d.cleanup();
    }
  });

  it("keeps the vectors as they come for a small knowledge folder", async () => {
    const d = tempDir();
    try {
      await buildIndex({ knowledgeDir: resolve("test/fixtures/knowledge"), dataDir: d.dir, embedder: new HashedNgramEmbedder() });
      expect(existsSync(indexPaths(d.dir).projection)).toBe(false);
      expect(JSON.parse(readFileSync(indexPaths(d.dir).manifest, "utf8")).dims).toBe(1024);
    } finally {
      d.cleanup();
    }
  });
});
