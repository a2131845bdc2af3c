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
