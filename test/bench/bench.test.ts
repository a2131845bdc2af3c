import { EF_SEARCH } from "../../src/retrieval/hybrid-retriever.js";
import { HNSW_EF_CONSTRUCTION, HNSW_M } from "../../src/retrieval/build-index.js";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBench } from "../../src/bench/run-bench.js";
import { renderReport, type BenchReport } from "../../src/bench/report.js";
import { bruteTopK, recallAtK } from "../../src/bench/retrieval-bench.js";
import { knowledgeChunks, writeSyntheticKnowledge } from "../../src/bench/synthetic-corpus.js";
import { loadKnowledge } from "../../src/retrieval/load-knowledge.js";
import { quantile, rng, summarize } from "../../src/bench/stats.js";
import { FIXTURE_KNOWLEDGE, tempDir } from "../support/temp.js";

// A smoke test: the benchmark runs end to end at tiny sizes and reports every figure with sane values.
// It asserts no timings: those belong to `npm run bench` on a quiet machine.

const temps: { cleanup: () => void }[] = [];
afterAll(() => temps.forEach((t) => t.cleanup()));

function hashDir(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(e.name).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

describe("bench building blocks", () => {
  it("generates a valid synthetic knowledge folder with exactly the asked chunk count, the same for the same seed", async () => {
    const base = (await knowledgeChunks(FIXTURE_KNOWLEDGE)).length;
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    temps.push(a, b, c);
    const want = base + 137;
    const ra = await writeSyntheticKnowledge({ sourceDir: FIXTURE_KNOWLEDGE, outDir: a.dir, chunks: want, seed: 7 });
    await writeSyntheticKnowledge({ sourceDir: FIXTURE_KNOWLEDGE, outDir: b.dir, chunks: want, seed: 7 });
    await writeSyntheticKnowledge({ sourceDir: FIXTURE_KNOWLEDGE, outDir: c.dir, chunks: want, seed: 8 });
    expect(ra.baseChunks).toBe(base);
    expect(ra.generatedChunks).toBe(137);
    const { problems } = await loadKnowledge(a.dir);
    const fixtureProblems = (await loadKnowledge(FIXTURE_KNOWLEDGE)).problems.length;
    expect(problems.length).toBe(fixtureProblems);
    const chunks = await knowledgeChunks(a.dir);
    expect(chunks.length).toBe(want);
    // Texts differ from each other (recombined with variations), not copies.
    expect(new Set(chunks.map((ch) => ch.searchText)).size).toBeGreaterThan(want * 0.95);
    expect(hashDir(a.dir)).toBe(hashDir(b.dir));
    expect(hashDir(a.dir)).not.toBe(hashDir(c.dir));
  });

  it("exact top-k and recall agree with a plain sort", () => {
    const r = rng(1);
    const dims = 16;
    const n = 300;
    const all = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += (all[i * dims + d] = r() - 0.5) ** 2;
      for (let d = 0; d < dims; d++) all[i * dims + d] /= Math.sqrt(norm);
    }
    const q = all.slice(5 * dims, 6 * dims);
    const exact = bruteTopK(all, dims, q, 10);
    const sims = Array.from({ length: n }, (_, i) => ({ i, s: all.subarray(i * dims, (i + 1) * dims).reduce((acc, v, d) => acc + v * q[d], 0) }));
    sims.sort((x, y) => y.s - x.s);
    expect(Array.from(exact.ids)).toEqual(sims.slice(0, 10).map((x) => x.i));
    expect(exact.ids[0]).toBe(5);
    expect(recallAtK(Array.from(exact.ids), exact, all, dims, q, 10)).toBe(1);
    expect(recallAtK(sims.slice(5, 15).map((x) => x.i), exact, all, dims, q, 10)).toBeCloseTo(0.5);
  });

  it("summarizes latencies with nearest-rank quantiles", () => {
    const xs = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(quantile(xs, 0.95)).toBe(190);
    const s = summarize([4, 1, 3, 2]);
    expect([s.p50, s.p95, s.max, s.n]).toEqual([2, 4, 4, 4]);
    expect(s.qps).toBeCloseTo(400);
  });
});

describe("npm run bench at tiny sizes", () => {
  let report: BenchReport;

  it("runs every step and reports every figure", async () => {
    const base = (await knowledgeChunks(FIXTURE_KNOWLEDGE)).length;
    const sizes = [base + 40, base + 160];
    // Source recall on the fixture: each FAQ's own question should find its entry among the synthetic passages.
    const labelled = (await loadKnowledge(FIXTURE_KNOWLEDGE)).docs.filter((d) => d.faq).map((d) => ({ question: d.faq!.question, sources: [d.id] }));
    report = await runBench({ knowledgeDir: FIXTURE_KNOWLEDGE, sizes, load: { mayors: 4, perMayor: 2 }, handovers: 3, queries: 30, labelled });
    const r = JSON.parse(JSON.stringify(report)) as BenchReport; // what --json prints

    expect(r.ingest.chunks).toBeGreaterThan(0);
    // Identical texts are embedded once.
    expect(r.ingest.full.embedded).toBeGreaterThan(0);
    expect(r.ingest.full.embedded).toBeLessThanOrEqual(r.ingest.chunks);
    expect(r.ingest.full.ms).toBeGreaterThan(0);
    // The offline embedder keeps no cache (recomputing is cheaper than a file per vector).
    expect(r.ingest.incremental.embedded).toBe(r.ingest.full.embedded);
    expect(r.ingest.incremental.reused).toBe(0);
    expect(r.ingest.indexMb).toBeGreaterThan(0);

    expect(r.queries.search).toBeGreaterThan(0);
    expect(r.queries.search).toBeLessThanOrEqual(30);
    expect(r.retrieval.map((x) => x.size)).toEqual(sizes);
    // `--json` entries: one per size and path, with the fields the retrieval issue names.
    expect(r.entries.map((e) => `${e.size}:${e.path}`)).toEqual(sizes.flatMap((n) => [`${n}:embedded`, `${n}:peer`]));
    for (const e of r.entries) expect(Object.keys(e).sort()).toEqual(["buildMs", "loadMs", "path", "peakRssMb", "recall10", "rssMb", "search", "size", "sourceRecall5"]);
    // Source recall on the labelled questions: the real entries are in every synthetic corpus, and both paths
    // rank nearly the same (identical BM25; each its own hnswlib graph, both near exact at these sizes).
    for (const n of sizes) {
      const [emb, peer] = ["embedded", "peer"].map((p) => r.entries.find((e) => e.size === n && e.path === p)!);
      expect(emb.sourceRecall5).toBeGreaterThan(0.5);
      expect(Math.abs(emb.sourceRecall5! - peer.sourceRecall5!)).toBeLessThanOrEqual(0.05);
      expect(emb.recall10).toBeGreaterThan(0.9);
      expect(peer.recall10).toBeGreaterThan(0.9);
    }
    for (const x of r.retrieval) {
      expect(x.build.chunks).toBe(x.size);
      expect(x.build.problems).toBe(0);
      expect(x.build.indexMb).toBeGreaterThan(0);
      expect(x.hybrid.chunks).toBe(x.size);
      expect(x.hybrid.search.n).toBe(r.queries.search);
      // Measured after other questions, each measured question searched once.
      expect(x.hybrid.warmupQueries).toBe(300);
      expect(x.peer?.warmupQueries).toBe(300);
      expect(x.hybrid.search.p50).toBeGreaterThan(0);
      expect(x.hybrid.search.p95).toBeGreaterThanOrEqual(x.hybrid.search.p50);
      expect(x.hybrid.search.qps).toBeGreaterThan(0);
      expect(x.hybrid.parts.lexical.n).toBe(r.queries.search);
      expect(x.hybrid.peakRssMb).toBeGreaterThanOrEqual(x.hybrid.rssAfterLoadMb - 1);
      // The previous way on the same index: same chunks, every question searched.
      expect(x.peer?.chunks).toBe(x.size);
      expect(x.peer?.search.n).toBe(r.queries.search);
      expect(x.ann.chunks).toBe(x.size);
      expect(x.ann.dims).toBe(1024);
      expect(x.ann.params).toEqual(expect.objectContaining({ M: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION }));
      expect(x.ann.hnswFileMb).toBeGreaterThan(0);
      expect(x.ann.brute.p50).toBeGreaterThan(0);
      expect(x.ann.speedup).toBeGreaterThan(0);
      expect(x.ann.sweep.length).toBeGreaterThan(3);
      for (const row of [...x.ann.sweep, x.ann.core]) {
        expect(row.recallAt10).toBeGreaterThanOrEqual(0);
        expect(row.recallAt10).toBeLessThanOrEqual(1);
      }
      // A few hundred points: a wide enough search is exact or nearly.
      expect(x.ann.chosen.recallAt10).toBeGreaterThanOrEqual(0.98);
      // The core's own efSearch, and with it the core's recall reaches the target on small indexes too.
      expect(x.ann.core.effectiveEf).toBe(EF_SEARCH);
      expect(x.ann.core.recallAt10).toBeGreaterThanOrEqual(0.98);
    }

    expect(r.e2e.questions).toBeGreaterThan(0);
    expect(r.e2e.ask.n).toBe(r.e2e.questions);
    expect(r.e2e.rebuilt).toBe(false);
    expect(r.e2e.startupMs).toBeGreaterThan(0);
    expect(r.e2e.processReadyMs).toBeGreaterThan(r.e2e.startupMs);
    expect(r.e2e.peakRssMb).toBeGreaterThan(50);
    // CPU per question over several warm passes: a real figure, and the target row that reports it.
    expect(r.e2e.cpuQuestions).toBeGreaterThanOrEqual(300);
    // New questions after others (the project's calibration questions), and the repeated public ones apart.
    expect(r.e2e.cpuWarmQuestions).toBe(600);
    expect(r.queries.fresh).toBeGreaterThanOrEqual(900);
    expect(r.e2e.cpuRepeatedQuestions).toBeGreaterThanOrEqual(300);
    expect(r.e2e.cpuRepeatedMsPerQuestion).toBeGreaterThan(0);
    expect(r.e2e.cpuMsPerQuestion).toBeGreaterThan(0);
    // The main thread does most of the work, and never more than the whole process.
    expect(r.e2e.cpuMainMsPerQuestion).toBeGreaterThan(0);
    expect(r.e2e.cpuMainMsPerQuestion!).toBeLessThanOrEqual(r.e2e.cpuMsPerQuestion + 0.1);
    expect(r.targets.find((t) => t.id === "cpu_per_question")?.value).toBe(r.e2e.cpuMsPerQuestion);
    expect(Object.values(r.e2e.actions).reduce((a, b) => a + b, 0)).toBe(r.e2e.questions);

    expect(r.load).toBeDefined();
    expect(r.load!.questions).toBe(8);
    expect(r.load!.answered).toBe(8);
    expect(r.load!.exactlyOne).toBe(true);
    expect(r.load!.throughput).toBeGreaterThan(0);
    expect(r.load!.latency.p95).toBeGreaterThan(0);
    expect(r.handovers).toMatchObject({ questions: 3, answered: 3, exactlyOne: true });
    expect(r.load!.peakRssMb).toBeGreaterThan(50);

    expect(r.targets.map((t) => t.id).sort()).toEqual(
      ["answer_p95", "build_100k", "cpu_per_question", "handover_reply_p95", "load_100k", "recall_at_10", "recall_at_10_core", "retrieval_p95_ann",
        "retrieval_p95_hybrid", "rss_after_load_100k", "rss_peak_100k", "startup"].sort(),
    );
    for (const t of r.targets) {
      expect(Number.isFinite(t.value)).toBe(true);
      // Targets defined at 100k chunks are not judged on a tiny corpus.
      if (["answer_p95", "startup", "handover_reply_p95", "cpu_per_question"].includes(t.id)) expect(typeof t.pass).toBe("boolean");
      else expect(t.pass).toBeUndefined();
    }
  }, 240_000);

  it("prints the table with every section and a mark next to each target", () => {
    const text = renderReport(report);
    for (const s of ["Einlesen / Ingest", "Suche / Retrieval", "Ende zu Ende", "Last –", "Ziele / Targets", "Recall@10", "Beschleunigung", "Anfragen/s", "RSS"]) {
      expect(text).toContain(s);
    }
    const targetLines = text.slice(text.indexOf("Ziele / Targets")).split("\n").slice(3, 3 + report.targets.length);
    for (const line of targetLines) expect(line).toMatch(/[✓✗–]$/);
  });
});
