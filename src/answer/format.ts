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
export function standOf(hits: Hit[]): string | undefined {
  const dates = hits.map((h) => h.chunk.meta.stand ?? h.chunk.meta.date).filter((d): d is string => Boolean(d)).sort();
  return germanMonth(dates[0]);
}
