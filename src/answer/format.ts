import type { Source } from "../core/types.js";
import type { Hit } from "../retrieval/hybrid-retriever.js";

const MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];

/** "2026-11-01" → "November 2026" (the as-of month is what a reader needs). */
export function germanMonth(iso?: string): string | undefined {
  if (!iso || !/^\d{4}-\d{2}/.test(iso)) return undefined;
  const [y, m] = iso.split("-").map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

/** "2026-04-01" → "1. April 2026". */
export function germanDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d}. ${MONTHS[m - 1]} ${y}`;
}

export function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\((https?:[^)]*)\)/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/(^|\s)\*([^*\n]+)\*/g, "$1$2")
    .replace(/^\s*[-*]\s+/gm, "• ")
    .replace(/^#+\s+/gm, "")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
}

/** Drops the trailing "Quelle: … · Stand: …" line of a newsletter section: sources are listed separately. */
export function withoutSourceLine(text: string): string {
  return text.replace(/\n?\s*Quelle[n]?:[^\n]*$/i, "").trim();
}

export function sourceTitle(h: Hit): string {
  const m = h.chunk.meta;
  if (m.kind === "faq") return `FAQ: ${m.title}`;
  // The opening of an issue has the issue's own title as its heading: name it once, not twice.
  if (m.section === m.title || /^newsletter\b/i.test(m.section)) return m.section;
  const when = germanMonth(m.date);
  const issue = m.issue ? `Newsletter Nr. ${m.issue}` : "Newsletter";
  return `${issue}${when ? ` (${when})` : ""}: ${m.section}`;
}

export function toSource(h: Hit, excerptChars = 400): Source {
  const m = h.chunk.meta;
  const plain = stripMarkdown(withoutSourceLine(h.chunk.text)).replace(/\s+/g, " ");
  return {
    id: m.chunkId,
    kind: m.kind,
    title: sourceTitle(h),
    date: m.date,
    url: m.link,
    excerpt: plain.length > excerptChars ? plain.slice(0, excerptChars - 1) + "…" : plain,
    stand: m.stand,
  };
}

/** The oldest as-of date among the sources actually used: the reader should see the weakest link. */
/** The "Stand" a reader may rely on: unclear, or a month/year (oldest first when an answer combines passages). */
const UNCLEAR = /\bstand\b[^.]{0,40}\b(ist|sind) unklar\b|\bstand unklar\b/i;
const INLINE = /\(Stand:?\s+(?:ca\.\s+)?(?:(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+)?((?:19|20)\d{2})/g;
const SOURCE_LINE = /Stand:\s+(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+((?:19|20)\d{2})/g;
export const STAND_UNCLEAR = "unklar";

/**
 * The as-of date of an answer, from what it shows: a figure's own "(Stand 2024)" in the text, else the
 * section's source line ("Stand: März 2021"), else the entry's date. Where the entry says its figures'
 * Stand is unclear, "unklar" — never a confident date above "Der Stand dieser Beträge ist unklar".
 */
export function answerStand(parts: { hit: Hit; shown: string }[]): string | undefined {
  if (!parts.length) return undefined;
  if (parts.some((p) => UNCLEAR.test(p.shown))) return STAND_UNCLEAR;
  const dates = parts.map(({ hit, shown }) => {
    const marks = [...shown.matchAll(INLINE)].map((m) => ({ y: Number(m[2]), m: m[1] ? MONTHS.indexOf(m[1]) + 1 : 0 }));
    if (!marks.length) marks.push(...[...hit.chunk.text.matchAll(SOURCE_LINE)].map((m) => ({ y: Number(m[2]), m: MONTHS.indexOf(m[1]) + 1 })));
    if (!marks.length) {
      const iso = hit.chunk.meta.stand ?? hit.chunk.meta.date;
      if (iso && /^\d{4}-\d{2}/.test(iso)) marks.push({ y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)) });
    }
    return marks.sort((a, b) => a.y - b.y || a.m - b.m)[0];
  }).filter((d): d is { y: number; m: number } => Boolean(d));
  const oldest = dates.sort((a, b) => a.y - b.y || a.m - b.m)[0];
  return oldest ? (oldest.m ? `${MONTHS[oldest.m - 1]} ${oldest.y}` : String(oldest.y)) : undefined;
}


/**
 * Without the source's pointers to its own layout ("Auch LEADER hat Mitfahrerbänke gefördert (siehe unten).") – the
 * mayor reads one passage, and below it is nothing of the kind (user test). `phrases`: language/answerability.yaml,
 * layout_references; only a whole parenthesis goes.
 */
export function withoutLayoutReferences(text: string, phrases: string[]): string {
  if (!phrases.length) return text;
  const escaped = phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s*"));
  return text.replace(new RegExp(`\\s*\\((?:${escaped.join("|")})\\)`, "giu"), "");
}

/**
 * A run-on enumeration of figures ("bis 150 EW 311 €, 151–300 EW 457 €, …") as one line per item, so a
 * table from the knowledge reads as a table on a phone. Only after a colon, for five or more short items
 * that each hold a number; everything else stays as written.
 */
export function listsAsLines(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const colon = rest.search(/:\s/);
    if (colon < 0) return out + rest;
    const head = rest.slice(0, colon + 1);
    const after = rest.slice(colon + 2);
    // The enumeration ends with its sentence: a full stop before a capital letter, a line break or the end.
    const end = after.search(/\.(?=\s+\p{Lu}|\s*$)|\n/u);
    const run = end < 0 ? after : after.slice(0, end);
    const items = run.split(/[,;]\s+/).map((x) => x.trim());
    if (items.length >= 5 && items.every((x) => /\d/.test(x) && x.length <= 70)) {
      out += `${head}\n${items.map((x) => `• ${x}`).join("\n")}`;
      rest = end < 0 ? "" : after.slice(end).replace(/^\.\s*/, "\n");
    } else {
      out += rest.slice(0, colon + 2);
      rest = after;
    }
  }
}

/** A number written in German ("1.200") as a number. */
const germanNumber = (x: string) => Number(x.replace(/\./g, ""));

/**
 * The figure a question gives for a table's key ("bei 450 Einwohnern"): one number with the word after it, not an
 * amount, a share, a time or a year. Undefined unless there is exactly one.
 */
export function askedQuantity(question: string): { n: number; phrase: string; unit?: string } | undefined {
  const found = [...question.matchAll(/(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?![\d.,]\d)(?:\s*([\p{L}]+))?/gu)]
    .filter((m) => !/^(euro|eur|prozent|uhr|jahr|jahre|jahren|monat|monate|monaten|stunden|minuten|cent)$/i.test(m[2] ?? ""))
    .filter((m) => !(m[1].length === 4 && Number(m[1]) >= 1900 && Number(m[1]) <= 2100));
  if (found.length !== 1) return undefined;
  const [all, num, unit] = found[0];
  return { n: germanNumber(num), phrase: all.trim(), ...(unit ? { unit } : {}) };
}

/**
 * The line of a table on lines (see listsAsLines) whose range holds the asked figure: "• 301–500 EW 602 €" for
 * "450 Einwohnern", "• bis 150 EW …" for "120 Einwohner". The question's word after its figure must name the table's
 * unit ("EW"): as the unit itself, or as one of its words in `units` ("Einwohner", "Leute"; language/answerability.yaml,
 * table_units) – "20 Helfer" is no row of a table by inhabitants. Undefined unless exactly one line fits.
 */
export function tableItemFor(lines: string, asked: { n: number; unit?: string }, units: Record<string, string[]> = {}): string | undefined {
  const word = asked.unit?.toLowerCase();
  if (!word) return undefined;
  const names = (unit: string) => [unit.toLowerCase(), ...(units[unit.toLowerCase()] ?? [])];
  const fits = (unit: string | undefined) => !!unit && names(unit).some((u) => word.startsWith(u));
  const num = "(\\d{1,3}(?:\\.\\d{3})+|\\d+)";
  const hits = lines.split("\n").filter((l) => l.startsWith("• ")).map((l) => l.slice(2)).filter((item) => {
    const range = new RegExp(`^${num}\\s*[–-]\\s*${num}\\s+(\\p{L}+)`, "u").exec(item);
    if (range) return fits(range[3]) && germanNumber(range[1]) <= asked.n && asked.n <= germanNumber(range[2]);
    const upTo = new RegExp(`^bis\\s+${num}\\s+(\\p{L}+)`, "iu").exec(item);
    if (upTo) return fits(upTo[2]) && asked.n <= germanNumber(upTo[1]);
    const from = new RegExp(`^(?:ab|über)\\s+${num}\\s+(\\p{L}+)`, "iu").exec(item);
    return from ? fits(from[2]) && asked.n >= germanNumber(from[1]) : false;
  });
  return hits.length === 1 ? hits[0] : undefined;
}
