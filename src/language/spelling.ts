import { stem } from "../retrieval/german-text.js";

/**
 * Typing errors in the word a question is about ("ehrenamstkarte", "übungsleiterpauschle") made that word
 * unknown to the knowledge: every later step then read it as a term the knowledge lacks, and the question
 * went to staff although its entry was found first. A word the knowledge does not know is read as the one
 * known word one typing error away (a letter missing, added, replaced or two swapped), when there is exactly
 * one such word. Compared on stems, so the known word's inflection does not matter; short stems are left
 * alone, since one letter turns them into other real words ("Mieten" / "Mitten").
 */
export interface SpellingOptions {
  /** Whether the knowledge uses exactly this stemmed term. */
  knows: (stem: string) => boolean;
  /** Words never corrected (lower case): function words, dialect, names the lexicons list. */
  keep?: (word: string) => boolean;
  /**
   * Stems of words people write (from the intent examples): such a word is not a typo, and "vergesen" is one
   * error from the knowledge's "vergeben" but also from "vergessen", so it is not a clear typo either.
   */
  common?: (stem: string) => boolean;
}

export interface Correction {
  from: string;
  to: string;
}

/** Shorter words stay as typed. */
const MIN_WORD = 6;
/** Shorter stems have too many real neighbours one letter away. */
const MIN_STEM = 5;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

type Edit = { op: "insert" | "delete" | "replace"; at: number; ch: string } | { op: "swap"; at: number; ch: "" };

/**
 * Every stem one edit away (Damerau: a swap of neighbours counts as one) that the knowledge uses, and whether
 * a common word the knowledge does not use is one edit away as well.
 */
function neighbours(s: string, knows: (t: string) => boolean, common: (t: string) => boolean): { known: Map<string, Edit>; other: boolean } {
  const found = new Map<string, Edit>();
  let other = false;
  const take = (t: string, e: Edit) => {
    if (t === s || found.has(t)) return;
    if (knows(t)) found.set(t, e);
    else if (common(t)) other = true;
  };
  for (let i = 0; i < s.length; i++) take(s.slice(0, i) + s.slice(i + 1), { op: "delete", at: i, ch: "" });
  for (let i = 0; i + 1 < s.length; i++) take(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2), { op: "swap", at: i, ch: "" });
  for (let i = 0; i < s.length; i++) for (const c of LETTERS) if (c !== s[i]) take(s.slice(0, i) + c + s.slice(i + 1), { op: "replace", at: i, ch: c });
  for (let i = 0; i <= s.length; i++) for (const c of LETTERS) take(s.slice(0, i) + c + s.slice(i), { op: "insert", at: i, ch: c });
  return { known: found, other };
}

/**
 * Where each character of a stem comes from in the word: stems fold umlauts ("ü" → "u", typed "ue" → "u",
 * "ß" → "ss"), so a position in the stem is not always the same position in the word.
 */
function spans(word: string): [start: number, end: number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < word.length; ) {
    if (/^(ae|oe|ue)/.test(word.slice(i, i + 2))) {
      out.push([i, i + 2]);
      i += 2;
    } else if (word[i] === "ß") {
      out.push([i, i + 1], [i, i + 1]);
      i += 1;
    } else {
      out.push([i, i + 1]);
      i += 1;
    }
  }
  return out;
}

/** The same edit made on the word as typed (umlauts kept), or undefined when it does not map cleanly. */
function applyToWord(word: string, e: Edit): string | undefined {
  const sp = spans(word);
  const at = (i: number) => (i < sp.length ? sp[i] : [word.length, word.length] as [number, number]);
  const [s, end] = at(e.at);
  switch (e.op) {
    case "insert":
      return word.slice(0, s) + e.ch + word.slice(s);
    case "delete":
      return word.slice(0, s) + word.slice(end);
    case "replace":
      return word.slice(0, s) + e.ch + word.slice(end);
    case "swap": {
      const [s2, end2] = at(e.at + 1);
      if (end !== s2) return undefined;
      return word.slice(0, s) + word.slice(s2, end2) + word.slice(s, end) + word.slice(end2);
    }
  }
}

/** The word as the knowledge spells it, or undefined when it is known, too short or not one clear typo. */
export function correctWord(word: string, opts: SpellingOptions): string | undefined {
  const lw = word.toLowerCase();
  if (lw.length < MIN_WORD || /[^\p{L}]/u.test(lw) || opts.keep?.(lw)) return undefined;
  const s = stem(lw);
  // A word people write ("überwiesen" in the intent examples) is a word, not a typo, even when the knowledge
  // lacks it and has one a letter away ("überwiegen").
  if (s.length < MIN_STEM || opts.knows(s) || opts.common?.(s)) return undefined;
  const near = neighbours(s, opts.knows, opts.common ?? (() => false));
  // Two words one error away ("Förderbank"/"Förderband", "vergeben"/"vergessen"): the meaning is not clear.
  if (near.known.size !== 1 || near.other) return undefined;
  const [[target, edit]] = [...near.known];
  const fixed = applyToWord(lw, edit);
  if (!fixed || stem(fixed) !== target) return undefined;
  return /^\p{Lu}/u.test(word) ? fixed.charAt(0).toUpperCase() + fixed.slice(1) : fixed;
}

/** Words looked at are kept (per vocabulary): chat words recur, and each unknown one costs about a thousand lookups. */
const KEPT_WORDS = 50_000;

/** The text with each clear typing error corrected; everything else (case, punctuation) as written. */
export function correctTypos(text: string, opts: SpellingOptions, cache?: Map<string, string | null>): { text: string; corrections: Correction[] } {
  const corrections: Correction[] = [];
  const lookup = (w: string): string | undefined => {
    if (!cache) return correctWord(w, opts);
    let to = cache.get(w);
    if (to === undefined) {
      to = correctWord(w, opts) ?? null;
      if (cache.size >= KEPT_WORDS) cache.delete(cache.keys().next().value!);
      cache.set(w, to);
    }
    return to ?? undefined;
  };
  const out = text.replace(/\p{L}+/gu, (w) => {
    const to = lookup(w);
    if (!to) return w;
    corrections.push({ from: w, to });
    return to;
  });
  return { text: out, corrections };
}
