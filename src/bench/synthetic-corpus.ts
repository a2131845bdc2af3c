import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chunkDoc } from "../retrieval/chunker.js";
import { loadKnowledge } from "../retrieval/load-knowledge.js";
import type { Chunk } from "../retrieval/knowledge-types.js";
import { rng } from "./stats.js";

/**
 * A synthetic knowledge folder of any size, made from the shipped knowledge: the real files are copied
 * as they are (so the real answers are in the haystack), and the rest is new newsletter sections and FAQ
 * entries recombined from the real chunks' sentences — a real heading or question, sentences from its
 * own chunk and from others on the same topic, one local sentence (village, people, euros, year), and
 * varied numbers. Deterministic for a seed. Every generated section stays under the chunker's split
 * size and every FAQ answer under its word limit, so N generated items give exactly N chunks.
 */

const VILLAGES = [
  "Ayl", "Baldringen", "Bekond", "Bonerath", "Damflos", "Detzem", "Ensch", "Farschweiler", "Fastrau", "Fell",
  "Föhren", "Franzenheim", "Greimerath", "Gusterath", "Gutweiler", "Heddert", "Hentern", "Hetzerath", "Holzerath",
  "Igel", "Irsch", "Kanzem", "Kasel", "Kell am See", "Kenn", "Kirsch", "Klüsserath", "Kordel", "Korlingen",
  "Lampaden", "Langsur", "Leiwen", "Longen", "Longuich", "Mandern", "Mehring", "Mertesdorf", "Morscheid",
  "Naurath", "Newel", "Niederzerf", "Ollmuth", "Osburg", "Palzem", "Paschel", "Pellingen", "Pluwig", "Pölich",
  "Ralingen", "Riol", "Riveris", "Schillingen", "Schöndorf", "Serrig", "Sommerau", "Taben-Rodt", "Tawern",
  "Thomm", "Thörnich", "Trierweiler", "Vierherrenborn", "Waldrach", "Waldweiler", "Wawern", "Welschbillig",
  "Wiltingen", "Wincheringen", "Zemmer", "Zerf",
];
const VGS = ["Konz", "Saarburg-Kell", "Hermeskeil", "Ruwer", "Schweich", "Trier-Land"];
const NAMES = ["Anna Becker", "Bernd Schmitt", "Carina Weber", "Dieter Hoffmann", "Elke Wagner", "Frank Schäfer", "Gabi Koch", "Hans Bauer", "Ines Richter", "Jürgen Klein", "Karin Wolf", "Lukas Neumann", "Monika Schwarz", "Norbert Zimmermann", "Olga Braun", "Peter Krüger", "Renate Hofmann", "Stefan Hartmann", "Tanja Lange", "Uwe Schmitz"];
const MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];
const LOCAL = [
  "In {ort} haben sich {n} Ehrenamtliche gemeldet, die das {jahr} weiterführen wollen.",
  "Die Ortsgemeinde {ort} in der VG {vg} plant dafür rund {betrag} Euro im Haushalt {jahr} ein.",
  "Ortsbürgermeisterin {name} aus {ort} berichtet, dass der Gemeinderat im {monat} einstimmig zugestimmt hat.",
  "Ortsbürgermeister {name} ({ort}) rät, früh mit der Verwaltung der VG {vg} zu sprechen.",
  "Beim Treffen in {ort} im {monat} {jahr} kamen {n} Interessierte aus {m} Nachbargemeinden.",
  "Der Verein in {ort} hat nach eigenen Angaben {betrag} Euro Spenden gesammelt.",
  "Eine Nachfrage bei der VG {vg} ergab: Die Unterlagen liegen seit {monat} {jahr} vor.",
  "{name} aus {ort} koordiniert das Vorhaben; {n} Familien machen bisher mit.",
  "Nach Angaben aus {ort} dauerte die Vorbereitung etwa {m} Monate.",
  "Auch {ort} und {ort2} wollen das Modell {jahr} übernehmen.",
];
const HEADING_FORMS = ["{h}", "{h} in {ort}", "Beispiel {ort}: {h}", "{h} ({jahr})", "Aus {ort}: {h}", "{h} – Erfahrungen aus der VG {vg}"];
const QUESTION_FORMS = ["{q}", "{q0} – auch in {ort}?", "Frage aus {ort}: {q}", "{q0}, wenn die Gemeinde in der VG {vg} liegt?", "Wie ist das bei uns in {ort}: {q}"];

/** Longest generated section text; the chunker splits sections above 1400 characters. */
const MAX_SECTION = 1300;
/** Words in a generated FAQ answer; the loader rejects more than 120. */
const MAX_FAQ_WORDS = 110;
const SECTIONS_PER_FILE = 25;

interface Pools {
  chunks: Chunk[];
  sentences: string[][];
  byTopic: Map<string, number[]>;
  faqs: number[];
}

/** A sentence ends at . ! ? before a capital, but not after a number ("30. April") or an abbreviation ("Abs. 3"). */
const SENTENCE_END = /(?<=[.!?])(?<!\d\.)(?<!\b(?:Abs|Nr|bzw|ca|Str|Dr|Tel|vgl|ggf|evtl|inkl|Mio|Mrd|Ziff|Art|Az|S|z\.\s?B|u\.\s?a|d\.\s?h)\.)\s+(?=[A-ZÄÖÜ„"])/;

function sentencesOf(text: string): string[] {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .split(/\n+/)
    .flatMap((line) => line.replace(/^[#>*\-•\s]+/, "").split(SENTENCE_END))
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.split(" ").length >= 5 && s.length <= 400 && !/^Quelle:/i.test(s));
}

function pools(chunks: Chunk[]): Pools {
  const byTopic = new Map<string, number[]>();
  const sentences = chunks.map((c) => sentencesOf(c.text));
  chunks.forEach((c, i) => {
    if (!sentences[i].length) return;
    for (const t of c.meta.topics.slice(0, 2)) byTopic.set(t, [...(byTopic.get(t) ?? []), i]);
  });
  const faqs = chunks.map((c, i) => (c.meta.kind === "faq" && sentences[i].length ? i : -1)).filter((i) => i >= 0);
  return { chunks, sentences, byTopic, faqs };
}

class Generator {
  private r: () => number;
  constructor(private p: Pools, seed: number) {
    this.r = rng(seed);
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }

  private fill(template: string): string {
    return template
      .replace(/\{ort2\}/g, () => this.pick(VILLAGES))
      .replace(/\{ort\}/g, () => this.pick(VILLAGES))
      .replace(/\{vg\}/g, () => this.pick(VGS))
      .replace(/\{name\}/g, () => this.pick(NAMES))
      .replace(/\{monat\}/g, () => this.pick(MONTHS))
      .replace(/\{jahr\}/g, () => String(this.int(2019, 2027)))
      .replace(/\{betrag\}/g, () => (this.int(5, 400) * 100).toLocaleString("de-DE"))
      .replace(/\{n\}/g, () => String(this.int(3, 60)))
      .replace(/\{m\}/g, () => String(this.int(2, 9)));
  }

  /** Varies plain numbers (not paragraphs or dates) so recombined sentences do not repeat verbatim. */
  private vary(s: string): string {
    if (this.r() < 0.5) return s;
    return s.replace(/(?<![§\d.,/-])\b(\d{1,3}(?:\.\d{3})*)\b(?![.,/-]?\d)/g, (m) => {
      const n = Number(m.replace(/\./g, ""));
      if (!Number.isFinite(n) || (n >= 1900 && n <= 2100)) return m;
      const v = Math.max(1, Math.round(n * (0.5 + this.r())));
      return n >= 1000 ? v.toLocaleString("de-DE") : String(v);
    });
  }

  /** Sentences: a run from the base chunk, then some from other chunks on its topic, then a local one. */
  private body(base: number, maxChars: number, maxWords = Infinity): string {
    const own = this.p.sentences[base];
    const start = this.int(0, Math.max(0, own.length - 1));
    const out = own.slice(start, start + this.int(1, 3));
    const topic = this.pick(this.p.chunks[base].meta.topics.filter((t) => this.p.byTopic.has(t)));
    const others = topic ? this.p.byTopic.get(topic)! : [base];
    for (let k = this.int(1, 3); k > 0; k--) out.push(this.pick(this.p.sentences[this.pick(others)]));
    out.splice(this.int(0, out.length), 0, this.fill(this.pick(LOCAL)));
    const kept: string[] = [];
    let chars = 0;
    let words = 0;
    for (const s0 of out) {
      const s = this.vary(s0);
      const w = s.split(" ").length;
      if (kept.length && (chars + s.length + 1 > maxChars || words + w > maxWords)) break;
      if (!kept.length && (s.length > maxChars || w > maxWords)) continue;
      kept.push(s);
      chars += s.length + 1;
      words += w;
    }
    if (!kept.length) kept.push(this.fill(LOCAL[0]));
    // Two paragraphs when long enough, like the real newsletter sections.
    const cut = kept.length > 3 ? Math.ceil(kept.length / 2) : kept.length;
    return [kept.slice(0, cut).join(" "), kept.slice(cut).join(" ")].filter(Boolean).join("\n\n");
  }

  section(): { heading: string; text: string; topics: string[] } {
    const base = this.int(0, this.p.chunks.length - 1);
    const c = this.p.chunks[base];
    const h = c.meta.kind === "faq" ? c.meta.title : c.meta.section;
    const heading = this.fill(this.pick(HEADING_FORMS).replace("{h}", h.replace(/[#\n]/g, " ").trim()));
    const text = this.p.sentences[base].length ? this.body(base, MAX_SECTION) : this.fill(this.pick(LOCAL));
    return { heading, text, topics: c.meta.topics };
  }

  faq(): { question: string; alternatives: string[]; answer: string; topics: string[] } {
    const base = this.p.faqs.length ? this.pick(this.p.faqs) : this.int(0, this.p.chunks.length - 1);
    const c = this.p.chunks[base];
    const q = c.meta.title.replace(/\s+/g, " ").trim();
    const question = this.fill(this.pick(QUESTION_FORMS).replace("{q0}", q.replace(/\?\s*$/, "")).replace("{q}", q));
    const alternatives = (c.meta.phrasings ?? []).slice(1).filter(() => this.r() < 0.5).map((a) => this.fill(`${a} {ort}`));
    return { question, alternatives, answer: this.body(base, 900, MAX_FAQ_WORDS), topics: c.meta.topics };
  }

  date(): string {
    return `${this.int(2020, 2026)}-${String(this.int(1, 12)).padStart(2, "0")}-${String(this.int(1, 28)).padStart(2, "0")}`;
  }
}

const yamlString = (s: string) => JSON.stringify(s);
const topicList = (ts: string[]) => `[${[...new Set(ts.filter((t) => /^[a-z0-9_]+$/.test(t)))].slice(0, 4).join(", ") || "allgemein"}]`;

/** The chunks ingest makes of a knowledge folder (the same loader and chunker as buildIndex). */
export async function knowledgeChunks(knowledgeDir: string): Promise<Chunk[]> {
  const { docs } = await loadKnowledge(knowledgeDir);
  const chunks: Chunk[] = [];
  for (const d of docs) chunks.push(...(await chunkDoc(d)));
  return chunks;
}

export interface SyntheticCorpus {
  dir: string;
  /** Chunks of the copied real knowledge. */
  baseChunks: number;
  /** Chunks generated (exactly one per generated section or FAQ file). */
  generatedChunks: number;
  files: number;
  ms: number;
}

/**
 * Writes a knowledge folder with about `chunks` chunks to `outDir`: a copy of `sourceDir` plus generated
 * Markdown files (newsletters of 25 sections, and FAQ files for `faqShare` of the generated chunks).
 */
export async function writeSyntheticKnowledge(opts: { sourceDir: string; outDir: string; chunks: number; seed?: number; faqShare?: number }): Promise<SyntheticCorpus> {
  const started = performance.now();
  const base = await knowledgeChunks(opts.sourceDir);
  if (!base.length) throw new Error(`${opts.sourceDir}: keine Wissens-Chunks, aus denen sich ein Korpus bauen ließe`);
  mkdirSync(opts.outDir, { recursive: true });
  cpSync(opts.sourceDir, opts.outDir, { recursive: true });
  const gen = new Generator(pools(base), opts.seed ?? 20260309);
  const want = Math.max(0, opts.chunks - base.length);
  const faqCount = Math.round(want * (opts.faqShare ?? 0.15));
  const sectionCount = want - faqCount;
  const dir = join(opts.outDir, "synthetisch");
  mkdirSync(join(dir, "faq"), { recursive: true });
  mkdirSync(join(dir, "newsletter"), { recursive: true });
  let files = 0;

  for (let i = 0; i < faqCount; i++) {
    const f = gen.faq();
    const id = `faq-syn-${String(i + 1).padStart(6, "0")}`;
    const front = [
      "---", "kind: faq", `id: ${id}`, `question: ${yamlString(f.question)}`,
      `alternatives: [${f.alternatives.map(yamlString).join(", ")}]`, `topics: ${topicList(f.topics)}`,
      `stand: "${gen.date()}"`, `link: "https://example.org/ortslotse-bench/${id}"`, "---",
    ];
    writeFileSync(join(dir, "faq", `${id}.md`), `${front.join("\n")}\n${f.answer}\n`);
    files++;
  }
  for (let i = 0, issue = 1; i < sectionCount; issue++) {
    const n = Math.min(SECTIONS_PER_FILE, sectionCount - i);
    const sections = Array.from({ length: n }, () => gen.section());
    i += n;
    const id = `nl-syn-${String(issue).padStart(6, "0")}`;
    const date = gen.date();
    const front = [
      "---", "kind: newsletter", `id: ${id}`, `issue: ${issue}`, `date: "${date}"`,
      `title: ${yamlString(`Synthetischer Newsletter ${issue}`)}`, `link: "https://example.org/ortslotse-bench/${id}"`,
      `topics: ${topicList(sections.flatMap((s) => s.topics))}`, "---",
    ];
    const body = sections.map((s) => `## ${s.heading}\n${s.text}\n`).join("\n");
    writeFileSync(join(dir, "newsletter", `${id}.md`), `${front.join("\n")}\n${body}`);
    files++;
  }
  return { dir: opts.outDir, baseChunks: base.length, generatedChunks: want, files, ms: performance.now() - started };
}
