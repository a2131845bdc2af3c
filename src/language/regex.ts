/** A word boundary that knows umlauts and ß (JavaScript's \b treats "ü" as a non-word character). */
const W = "[\\p{L}\\p{N}_]";
const BOUNDARY = `(?:(?<!${W})(?=${W})|(?<=${W})(?!${W}))`;
/** The same boundary where the pattern itself says which side holds the word: one look-around instead of four. */
const WORD_START = `(?<!${W})`;
const WORD_END = `(?!${W})`;

const WORD_CHAR = /^[\p{L}\p{N}_]$/u;
const QUANTIFIER = new Set(["?", "*", "{"]);

/** Index of the parenthesis closing the group that opens at `open`, or -1. */
function closing(p: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

/** The alternatives of a plain group's body, or undefined for look-arounds and named groups. */
function alternatives(p: string, open: number, close: number): string[] | undefined {
  let body = p.slice(open + 1, close);
  if (body.startsWith("?:")) body = body.slice(2);
  else if (body.startsWith("?")) return undefined;
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(body.slice(from, i));
      from = i + 1;
    }
  }
  out.push(body.slice(from));
  return out;
}

/** Whether every match of the pattern from `i` on starts by consuming a word character. */
function startsWithWordChar(p: string, i: number): boolean {
  const c = p[i];
  if (c === undefined) return false;
  if (c === "(") {
    const end = closing(p, i);
    const alts = end > 0 ? alternatives(p, i, end) : undefined;
    return Boolean(alts && !QUANTIFIER.has(p[end + 1]) && alts.every((a) => startsWithWordChar(a, 0)));
  }
  return WORD_CHAR.test(c) && !QUANTIFIER.has(p[i + 1]);
}

/** Whether every match of the pattern up to `j` (exclusive) ends by consuming a word character. */
function endsWithWordChar(p: string, j: number): boolean {
  const c = p[j - 1];
  if (c === undefined) return false;
  if (c === ")") {
    // Find the group's opening parenthesis: the one whose closing parenthesis is here.
    for (let open = j - 2; open >= 0; open--) {
      if (p[open] !== "(" || (open > 0 && p[open - 1] === "\\")) continue;
      if (closing(p, open) !== j - 1) continue;
      const alts = alternatives(p, open, j - 1);
      return Boolean(alts && alts.every((a) => endsWithWordChar(a, a.length)));
    }
    return false;
  }
  // An escaped letter (\d, \p{…}, \w) or a letter inside a class is not a plain literal.
  return WORD_CHAR.test(c) && !(j >= 2 && p[j - 2] === "\\") && !insideClass(p, j - 1);
}

function insideClass(p: string, at: number): boolean {
  let inClass = false;
  for (let i = 0; i < at; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
  }
  return inClass;
}

/**
 * Compiles a pattern from the language files with Unicode word boundaries. Where the pattern shows that a word
 * follows ("\bwofür") or ends ("steht\b"), the boundary is one look-around: the general form tried four at
 * every character and made detecting a question's answer types cost 160 µs (tests compare both forms).
 */
export function languageRegex(pattern: string, flags = ""): RegExp {
  return new RegExp(expandBoundaries(pattern), flags.includes("u") ? flags : flags + "u");
}

/** `fast`: false gives the general form everywhere (the reference the tests compare with). */
export function expandBoundaries(pattern: string, fast = true): string {
  return pattern.replace(/\\b/g, (_, at: number) => {
    if (!fast || (at > 0 && pattern[at - 1] === "\\") || insideClass(pattern, at)) return BOUNDARY;
    if (startsWithWordChar(pattern, at + 2)) return WORD_START;
    if (endsWithWordChar(pattern, at)) return WORD_END;
    return BOUNDARY;
  });
}
