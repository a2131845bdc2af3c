/**
 * Longest text the core reads; longer messages are kept in full in the ticket. Of a longer one the core reads
 * the start and the end: after a long story the question comes last ("… Frage: Wer zahlt?").
 */
export const MAX_QUESTION_CHARS = 2000;
/** Of a message longer than MAX_QUESTION_CHARS, how much of its end is read. */
const TAIL_CHARS = 800;
/** Longest text stored at all (a 100 KB paste must not bloat the database or a staff page). */
export const MAX_STORED_CHARS = 10_000;

export interface CleanText {
  text: string;
  truncated: boolean;
  unreadable: boolean;
  stored: string;
}

/** Removes control and zero-width characters and replacement marks from broken UTF-8; collapses spaces. */
export function sanitizeText(input: unknown): CleanText {
  const raw = typeof input === "string" ? input : "";
  const cleaned = raw
    .normalize("NFKC")
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF\u00AD]/g, "")
    .replace(/\uFFFD/g, "")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const letters = (cleaned.match(/\p{L}/gu) ?? []).length;
  const unreadable = cleaned.length > 20 && letters / cleaned.length < 0.3;
  return {
    text: cleaned.length > MAX_QUESTION_CHARS ? `${startOf(cleaned, MAX_QUESTION_CHARS - TAIL_CHARS)}\n\n${endOf(cleaned, TAIL_CHARS)}` : cleaned,
    truncated: cleaned.length > MAX_QUESTION_CHARS,
    unreadable,
    stored: cleaned.slice(0, MAX_STORED_CHARS),
  };
}

/** The first `n` characters, cut after a word (not inside one). */
function startOf(text: string, n: number): string {
  const cut = text.slice(0, n);
  const space = cut.search(/\s\S*$/);
  return (space > n / 2 ? cut.slice(0, space) : cut).trim();
}

/** The last `n` characters, starting at a sentence when one starts near the cut, else at a word. */
function endOf(text: string, n: number): string {
  const cut = text.slice(-n);
  const sentence = cut.search(/[.!?]\s+\S/);
  if (sentence >= 0 && sentence < n / 2) return cut.slice(sentence + 1).trim();
  const space = cut.search(/\s/);
  return (space >= 0 && space < n / 2 ? cut.slice(space) : cut).trim();
}
