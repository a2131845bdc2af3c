/** Longest text the core reads; longer messages are kept in full in the ticket but answered from the start. */
export const MAX_QUESTION_CHARS = 2000;
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
    text: cleaned.slice(0, MAX_QUESTION_CHARS),
    truncated: cleaned.length > MAX_QUESTION_CHARS,
    unreadable,
    stored: cleaned.slice(0, MAX_STORED_CHARS),
  };
}
