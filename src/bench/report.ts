import { EF_SEARCH } from "../retrieval/hybrid-retriever.js";
import type { E2eResult } from "./e2e-bench.js";
import type { IngestResult } from "./ingest-bench.js";
import type { LoadResult } from "./load-bench.js";
import { RECALL_TARGET, type AnnResult, type HybridResult, type SyntheticBuild } from "./retrieval-bench.js";
import type { LatencyStats } from "./stats.js";

export interface RetrievalSize {
  size: number;
  build: SyntheticBuild;
  ann: AnnResult;
  hybrid: HybridResult;
  /** The same corpus built and searched the previous way (langchain HNSWLib with efConstruction 200 + MiniSearch). */
  peer?: HybridResult & { buildMs: number; recallAt10: number };
}

/** One line of `npm run bench -- --json` per corpus size and search path. */
export interface SearchEntry {
  size: number;
  path: "embedded" | "peer";
  search: { p50: number; p95: number };
  recall10: number;
  /** Share of labelled questions whose expected entry is in the top 5 (null: no labelled questions). */
  sourceRecall5: number | null;
  rssMb: number;
  peakRssMb: number;
  buildMs: number;
  loadMs: number;
}

export function searchEntries(r: RetrievalSize): SearchEntry[] {
  const entry = (path: SearchEntry["path"], h: HybridResult, buildMs: number, recall10: number): SearchEntry => ({
    size: r.size, path, search: { p50: h.search.p50, p95: h.search.p95 },
    // Each path's own hnswlib graph, searched with the core's ef, against exact search.
    recall10,
    sourceRecall5: h.sourceRecall5 ?? null,
    rssMb: h.rssAfterLoadMb, peakRssMb: h.peakRssMb, buildMs, loadMs: h.loadMs,
  });
  return [entry("embedded", r.hybrid, r.build.buildMs, r.ann.core.recallAt10), ...(r.peer ? [entry("peer", r.peer, r.peer.buildMs, r.peer.recallAt10)] : [])];
}

export interface Target {
  id: string;
  label: string;
  value: number;
  unit: string;
  limit: number;
  /** "<" for upper limits, ">=" for lower ones. */
  op: "<" | "<=" | ">=";
  /** undefined when the figure the target is defined for was not measured (e.g. no 100k run with --quick). */
  pass?: boolean;
}

export interface BenchReport {
  version: 1;
  startedAt: string;
  durationS: number;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; memoryGb: number };
  options: { quick: boolean; sizes: number[]; seed: number; embedder: string };
  queries: { search: number; searchSource: string; ask: number; askSource: string; fresh?: number; freshSource?: string };
  ingest: IngestResult;
  retrieval: RetrievalSize[];
  e2e: E2eResult;
  load?: LoadResult;
  /** Many mayors hand over at once (staff chat on): how long each waits for the reply. */
  handovers?: LoadResult;
  /** Per size and path (embedded / peer): the figures the retrieval issue asked for. */
  entries: SearchEntry[];
  targets: Target[];
  notes: string[];
}

export const TARGET_SIZE = 100_000;

const pass = (value: number, op: Target["op"], limit: number) => (op === "<" ? value < limit : op === "<=" ? value <= limit : value >= limit);

/** The issue's targets, each next to the figure it is about. */
export function evaluateTargets(r: Omit<BenchReport, "targets" | "notes">): Target[] {
  const at = r.retrieval.find((x) => x.size === TARGET_SIZE);
  const largest = r.retrieval[r.retrieval.length - 1];
  const ref = at ?? largest;
  const sizeLabel = ref ? (at ? "100k" : `${kLabel(ref.size)}, Ziel gilt für 100k`) : "–";
  const t = (id: string, label: string, value: number, unit: string, op: Target["op"], limit: number, measured = true): Target => ({
    id, label, value, unit, op, limit, pass: measured ? pass(value, op, limit) : undefined,
  });
  const out: Target[] = [t("answer_p95", "Offline-Antwort p95 (ask)", r.e2e.ask.p95, "ms", "<", 50)];
  if (ref) {
    out.push(
      t("retrieval_p95_hybrid", `Suche p95, hybrid wie im Kern (${sizeLabel})`, ref.hybrid.search.p95, "ms", "<", 10, Boolean(at)),
      t("retrieval_p95_ann", `Suche p95, nur hnswlib ef=${ref.ann.chosen.ef} (${sizeLabel})`, ref.ann.chosen.latency.p95, "ms", "<", 10, Boolean(at)),
      t("recall_at_10", `hnswlib Recall@10, ef=${ref.ann.chosen.ef} (${sizeLabel})`, ref.ann.chosen.recallAt10, "", ">=", RECALL_TARGET, Boolean(at)),
      t("recall_at_10_core", `hnswlib Recall@10, wie der Kern sucht: ef=${ref.ann.core.effectiveEf} (${sizeLabel})`, ref.ann.core.recallAt10, "", ">=", RECALL_TARGET, Boolean(at)),
    );
  }
  out.push(t("startup", "Start mit vorhandenem Index (createCore)", r.e2e.startupMs, "ms", "<", 2000));
  // Teams waits 15 s for an answer; a mayor should have the hand-over reply long before that.
  if (r.handovers) out.push(t("handover_reply_p95", `Antwort bei ${r.handovers.mayors} gleichzeitigen Übergaben p95`, r.handovers.latency.p95, "ms", "<", 2000));
  out.push(t("cpu_per_question", `CPU je neue Frage, ausgelieferte Wissensbasis (${r.e2e.cpuQuestions} Fragen nach ${r.e2e.cpuWarmQuestions ?? 0} anderen)`, r.e2e.cpuMsPerQuestion, "ms", "<=", 3));
  if (ref) {
    out.push(
      t("rss_after_load_100k", `RSS Suchprozess nach dem Laden (${sizeLabel})`, ref.hybrid.rssAfterLoadMb, "MB", "<", 350, Boolean(at)),
      t("rss_peak_100k", `RSS-Spitze Suchprozess (${sizeLabel})`, ref.hybrid.peakRssMb, "MB", "<", 500, Boolean(at)),
      t("load_100k", `Index laden (${sizeLabel})`, ref.hybrid.loadMs, "ms", "<", 1000, Boolean(at)),
      t("build_100k", `Index bauen (${sizeLabel})`, ref.build.buildMs, "ms", "<", 100_000, Boolean(at)),
    );
  }
  return out;
}

/** Causes read off the figures, so a missed target comes with its reason. */
export function explain(r: Omit<BenchReport, "notes">): string[] {
  const notes: string[] = [];
  const big = r.retrieval[r.retrieval.length - 1];
  if (!big) return notes;
  const k = kLabel(big.size);
  const h = big.hybrid;
  if (h.search.p95 >= 10 && h.parts.lexical.p95 >= 0.5 * h.search.p95) {
    notes.push(
      `Suche ${k}: die BM25-Seite (ODER-Suche mit Fuzzy und Präfix, dazu eine zweite Suche für Synonyme) kostet ` +
        `p50 ${ms(h.parts.lexical.p50)} / p95 ${ms(h.parts.lexical.p95)} von p50 ${ms(h.search.p50)} / p95 ${ms(h.search.p95)}; ` +
        `Die Fuzzy-Suche vergleicht jedes längere Suchwort mit dem ganzen Wortschatz (wächst mit dem Korpus). ` +
        `hnswlib selbst braucht p95 ${ms(h.parts.vector.p95)}, die Frage einbetten p95 ${ms(h.parts.embedQuery.p95)}.`,
    );
  }
  if (big.ann.core.recallAt10 < RECALL_TARGET) {
    notes.push(
      `Recall ${k}: Der Kern sucht mit efSearch ${big.ann.core.ef} → Recall@10 ${big.ann.core.recallAt10.toFixed(3)}. ` +
        `Mit ef=${big.ann.chosen.ef} (M=${big.ann.params.M}, efConstruction=${big.ann.params.efConstruction} unverändert) ${big.ann.chosen.recallAt10.toFixed(3)} ` +
        `bei p95 ${ms(big.ann.chosen.latency.p95)}.`,
    );
  }
  if (h.peakRssMb >= 300) {
    notes.push(
      `Speicher ${k}: hnswlib allein ${mb(big.ann.hnswRssMb)} (${big.ann.dims} Dim. × 4 Byte × ${big.ann.chunks} + Graph), ` +
        `der ganze geladene Index ${mb(h.indexRssMb)} (dazu Metadaten und Texte der Abschnitte und der BM25-Index); ` +
        `Spitze beim Laden ${mb(h.peakRssMb)}.`,
    );
  }
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Text table

export function kLabel(n: number): string {
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
function ms(x: number): string {
  if (x >= 1000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(2)} ms`;
}
function mb(x: number): string {
  return x >= 100 ? `${x.toFixed(0)} MB` : `${x.toFixed(1)} MB`;
}
const pp = (s: LatencyStats) => `${ms(s.p50)} / ${ms(s.p95)}`;
const qps = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mark = (t: Target) => (t.pass === undefined ? "–" : t.pass ? "✓" : "✗");

function table(header: string[], rows: string[][], indent = "  "): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => indent + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ").trimEnd();
  return [line(header), indent + widths.map((w) => "─".repeat(w)).join("   "), ...rows.map(line)];
}

export function renderReport(r: BenchReport): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Ortslotse – Benchmark (npm run bench${r.options.quick ? " -- --quick" : ""})`,
    `Maschine: ${m.cpus} Kerne (${m.cpuModel}), ${m.memoryGb} GB RAM, Node ${m.node}, ${m.platform}; Dauer ${Math.floor(r.durationS / 60)}:${String(Math.round(r.durationS % 60)).padStart(2, "0")} min`,
    `Fragen: Suche ${r.queries.search} aus ${r.queries.searchSource}; ask ${r.queries.ask} aus ${r.queries.askSource}` + (r.queries.fresh ? `; vorher (Aufwärmen, CPU je neue Frage) ${r.queries.freshSource}` : ""),
    `Embedder: ${r.options.embedder} (offline); Zeiten je Anfrage nacheinander auf einem Kern`,
    "",
  );

  const i = r.ingest;
  out.push(`Einlesen / Ingest – ausgelieferte knowledge/ (${i.docs} Dokumente, ${i.chunks} Chunks${i.problems ? `, ${i.problems} Problemdateien` : ""})`);
  out.push(
    ...table(["", "Zeit", "eingebettet"], [
      ["Vollständiger Aufbau (full build)", ms(i.full.ms), String(i.full.embedded)],
      ["Inkrementell, nichts geändert", ms(i.incremental.ms), `${i.incremental.embedded} (${i.incremental.reused} aus Cache)`],
    ]),
    `  Index auf Platte: ${mb(i.indexMb)}`,
    "",
  );

  if (r.retrieval.length) {
    const R = r.retrieval;
    const p = R[0].ann.params;
    out.push(
      `Suche / Retrieval – synthetischer Korpus aus knowledge/ (Seed ${r.options.seed}), ${R[0].ann.dims} Dim., hnswlib M=${p.M}, efConstruction=${p.efConstruction}`,
    );
    const col = (f: (x: RetrievalSize) => string) => R.map(f);
    out.push(
      ...table(["Chunks", ...R.map((x) => kLabel(x.size))], [
        ["Korpus erzeugen + buildIndex", ...col((x) => `${ms(x.build.generateMs)} + ${ms(x.build.buildMs)}`)],
        ["Hybrid (HybridRetriever.search) p50 / p95", ...col((x) => pp(x.hybrid.search))],
        ["  Anfragen/s (1 Kern)", ...col((x) => qps(x.hybrid.search.qps))],
        ["  davon BM25 (flache Arrays) p50 / p95", ...col((x) => pp(x.hybrid.parts.lexical))],
        ["  davon Vektor (hnswlib, k=20) p50 / p95", ...col((x) => pp(x.hybrid.parts.vector))],
        ["  davon Frage einbetten p50 / p95", ...col((x) => pp(x.hybrid.parts.embedQuery))],
        ["ANN allein (hnswlib-node, gewähltes ef) p50 / p95", ...col((x) => pp(x.ann.chosen.latency))],
        ["  gewähltes ef (kleinstes mit Recall@10 ≥ 0,98)", ...col((x) => String(x.ann.chosen.ef))],
        ["  Anfragen/s (1 Kern)", ...col((x) => qps(x.ann.chosen.latency.qps))],
        ["  Recall@10 gegen exakte Suche", ...col((x) => x.ann.chosen.recallAt10.toFixed(3))],
        ["  Recall@10 wie der Kern sucht (ef " + EF_SEARCH + ")", ...col((x) => x.ann.core.recallAt10.toFixed(3))],
        ["Exakte Suche (Brute Force, Kosinus) p50 / p95", ...col((x) => pp(x.ann.brute))],
        ["  Beschleunigung ANN gegenüber exakt (p50)", ...col((x) => `${x.ann.speedup.toFixed(0)}×`)],
        ["Speicher hnswlib (RSS-Zuwachs / Datei)", ...col((x) => `${mb(x.ann.hnswRssMb)} / ${mb(x.ann.hnswFileMb)}`)],
        ["Speicher ganzer Index geladen (RSS-Zuwachs)", ...col((x) => mb(x.hybrid.indexRssMb))],
        ["Index auf Platte (DATA_DIR/index)", ...col((x) => mb(x.build.indexMb))],
        ["Laden (HybridRetriever.load)", ...col((x) => ms(x.hybrid.loadMs))],
        ["RSS Suchprozess vor / nach Laden / Spitze", ...col((x) => `${mb(x.hybrid.rssBeforeMb)} / ${mb(x.hybrid.rssAfterLoadMb)} / ${mb(x.hybrid.peakRssMb)}`)],
        ["Vergleich: MiniSearch + langchain HNSWLib, p50 / p95", ...col((x) => (x.peer ? pp(x.peer.search) : "–"))],
        ["  p95 Vergleich / eingebettet", ...col((x) => (x.peer ? `${(x.peer.search.p95 / x.hybrid.search.p95).toFixed(1)}×` : "–"))],
        ["  RSS nach Laden / Spitze", ...col((x) => (x.peer ? `${mb(x.peer.rssAfterLoadMb)} / ${mb(x.peer.peakRssMb)}` : "–"))],
        ["  Laden / Aufbau (Index + MiniSearch)", ...col((x) => (x.peer ? `${ms(x.peer.loadMs)} / ${ms(x.peer.buildMs)}` : "–"))],
      ]),
    );
    const big = R[R.length - 1];
    out.push(
      `  ef-Abstimmung bei ${kLabel(big.size)} (Recall@10, p95): ` +
        big.ann.sweep.map((s) => `ef ${s.ef}: ${s.recallAt10.toFixed(3)}, ${ms(s.latency.p95)}`).join(" · "),
      "",
    );
  }

  const e = r.e2e;
  out.push(`Ende zu Ende – ask offline auf der ausgelieferten knowledge/ (${e.questions} Fragen, In-Memory-SQLite wie npm run ask)`);
  out.push(
    ...table(["", "Wert"], [
      ["Start mit vorhandenem Index (createCore)", ms(e.startupMs) + (e.rebuilt ? " (Index wurde neu gebaut!)" : "")],
      ["Prozess gestartet bis bereit (Node + tsx + Importe)", ms(e.processReadyMs)],
      ["Antwort p50 / p95", pp(e.ask)],
      ["Antwort max / Fragen je Sekunde", `${ms(e.ask.max)} / ${qps(e.ask.qps)}`],
      [`CPU je neue Frage (${e.cpuQuestions} Fragen nach ${e.cpuWarmQuestions ?? 0} anderen, alle Threads)`, ms(e.cpuMsPerQuestion)],
      ...(e.cpuMainMsPerQuestion !== undefined ? [[`  davon Hauptthread (der Rest: V8 optimiert im Hintergrund)`, ms(e.cpuMainMsPerQuestion)]] : []),
      ...(e.cpuRepeatedMsPerQuestion !== undefined ? [[`CPU je Frage, dieselben ${e.questions} Fragen wiederholt (${e.cpuRepeatedQuestions})`, ms(e.cpuRepeatedMsPerQuestion)]] : []),
      ["Aktionen", Object.entries(e.actions).map(([a, n]) => `${a} ${n}`).join(", ")],
      ["RSS nach allen Fragen / Spitze (maxRSS)", `${mb(e.rssMb)} / ${mb(e.peakRssMb)}`],
    ]),
    "",
  );

  if (r.load) {
    const l = r.load;
    out.push(`Last – ${l.mayors} Bürgermeister × ${l.questionsPerMayor} Fragen gleichzeitig über Telegram (grammY-Polling gegen lokale Bot-API, loopback)`);
    out.push(
      ...table(["", "Wert"], [
        ["Durchsatz", `${qps(l.throughput)} Fragen/s (${l.answered} in ${ms(l.wallMs)})`],
        ["Latenz p50 / p95 (Update bis sendMessage)", pp(l.latency)],
        ["Genau eine Antwort je Frage", `${l.exactlyOne ? "ja" : "NEIN"} (${l.answered}/${l.questions} beantwortet, ${l.missing} ohne Antwort, ${l.chatsWithExtraMessages} Chats mit Extra-Nachrichten)`],
        ["RSS-Spitze Ortslotse-Prozess", l.peakRssMb !== undefined ? mb(l.peakRssMb) : "–"],
      ]),
      "",
    );
  }

  if (r.handovers) {
    const l = r.handovers;
    out.push(`Übergaben – ${l.mayors} Bürgermeister bitten gleichzeitig um einen Rückruf (Staff-Chat aktiv, Telegram-Gruppenlimit)`);
    out.push(
      ...table(["", "Wert"], [
        ["Antwort an die Bürgermeister p50 / p95", pp(l.latency)],
        ["Genau eine Antwort je Bürgermeister", `${l.exactlyOne ? "ja" : "NEIN"} (${l.answered}/${l.questions})`],
      ]),
      "",
    );
  }

  out.push("Ziele / Targets");
  out.push(
    ...table(["", "Ziel", "gemessen", ""], r.targets.map((t) => [
      t.label,
      `${t.op === "<" ? "<" : t.op === "<=" ? "≤" : "≥"} ${t.unit === "ms" ? ms(t.limit) : t.unit === "MB" ? mb(t.limit) : t.limit}`,
      t.unit === "ms" ? ms(t.value) : t.unit === "MB" ? mb(t.value) : t.value.toFixed(3),
      mark(t),
    ])),
  );
  if (r.notes.length) out.push("", "Hinweise", ...r.notes.map((n) => `  • ${n}`));
  return out.join("\n") + "\n";
}
