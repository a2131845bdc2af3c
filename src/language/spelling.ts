import { foldUmlauts, stem, stemUncached } from "../retrieval/german-text.js";

/** Umlauts folded as in stems ("ä", typed "ae" → "a"). */
const foldStem = (w: string) => foldUmlauts(w).replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");

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
  /**
   * Every stemmed term of the knowledge: a long word with two typing errors is compared with each of them.
   * Without it, only single errors are corrected.
   */
  vocabulary?: () => Iterable<string>;
  /** What counts as a slip (language/spelling.yaml); without it, only the keyboard decides. */
  slips?: SlipModel;
  /** Every common stem (see `common`), for the same comparison. */
  commonVocabulary?: () => Iterable<string>;
  /**
   * Whether a known or common stem starts with these letters (at most PREFIX_LETTERS): an unknown word whose
   * first letters start none of them cannot reach one by a typo in its ending, and its ~330 tries are skipped.
   * Without it, every ending is tried.
   */
  stemStarts?: (prefix: string) => boolean;
}

/** Letters of a stem's start that `stemStarts` is asked about (at most the shortest stem corrected). */
export const PREFIX_LETTERS = 5;

/** Every start of up to PREFIX_LETTERS letters of the given stems, for `stemStarts`. */
export function stemPrefixes(...stems: Iterable<string>[]): Set<string> {
  const out = new Set<string>();
  for (const list of stems) for (const t of list) for (let k = 1; k <= Math.min(PREFIX_LETTERS, t.length); k++) out.add(t.slice(0, k));
  return out;
}

export interface Correction {
  from: string;
  to: string;
}

/** Shorter words stay as typed. */
const MIN_WORD = 6;
/**
 * Longer "words" stay as typed: no German word is this long, and trying every edit of a pasted 4,000-letter
 * string blocked the event loop for seconds (about 0.2 s at 1,000 letters).
 */
const MAX_WORD = 40;
/** Shorter stems have too many real neighbours one letter away. */
const MIN_STEM = 5;
/**
 * Two errors are corrected only in stems at least this long (compounds such as "übungsleiterpauschale"):
 * shorter words have many real words two letters away.
 */
const MIN_STEM_TWO_ERRORS = 11;
/** How many letters before the stem's end an ending typo may start (the stemmer cuts what follows). */
const ENDING_REACH = 3;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const WORD_LETTERS = LETTERS + "äöüß";

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

/** language/spelling.yaml */
export interface SpellingData {
  sound_alike: [string, string][];
  inflection_endings: string[];
}

/** QWERTZ rows: a letter typed instead of another is a slip when the two keys touch. */
const KEY_ROWS = ["qwertzuiopü", "asdfghjklöä", "yxcvbnm"];
const KEY_POS = new Map<string, [row: number, col: number]>();
KEY_ROWS.forEach((row, r) => [...row].forEach((c, i) => KEY_POS.set(c, [r, i])));

function keysTouch(a: string, b: string): boolean {
  const pa = KEY_POS.get(a);
  const pb = KEY_POS.get(b);
  if (!pa || !pb) return false;
  const [ra, ca] = pa;
  const [rb, cb] = pb;
  if (ra === rb) return Math.abs(ca - cb) === 1;
  // Each row sits a little to the right of the one above: a lower key touches the upper keys at its column
  // and one to the right.
  if (rb === ra + 1) return cb === ca || cb === ca - 1;
  if (ra === rb + 1) return ca === cb || ca === cb - 1;
  return false;
}

/** Letters German keyboards have (stems fold ä/ö/ü, so the plain vowels stand for them). */
const onKeyboard = (c: string) => KEY_POS.has(c) || c === "ß";

/**
 * Which differences between a typed word and a known one are slips (of the finger, or of the ear in dialect)
 * rather than another word: "Gestattung" is not a slip from "Gestaltung", "ehrenamstkarte" is one from
 * "ehrenamtskarte".
 */
export class SlipModel {
  private sound: Set<string>;
  readonly endings: readonly string[];

  constructor(data: SpellingData = { sound_alike: [], inflection_endings: [] }) {
    this.sound = new Set(data.sound_alike.flatMap(([a, b]) => [a + b, b + a]));
    this.endings = data.inflection_endings;
  }

  /**
   * Whether an edit undoes a slip on `typed`: a letter left out or two swapped (always); a letter too many
   * when it doubles a neighbour, its key touches a neighbour's, or no German keyboard has it; a wrong letter
   * when its key touches the right one, it sounds alike or no German keyboard has it ("Ómsatz").
   */
  isSlip(typed: string, e: Edit): boolean {
    const c = typed[e.at];
    const doubles = c !== undefined && (typed[e.at - 1] === c || typed[e.at + 1] === c);
    switch (e.op) {
      case "insert":
      case "swap":
        return true;
      case "delete":
        return doubles || !onKeyboard(c) || [typed[e.at - 1], typed[e.at + 1]].some((n) => n !== undefined && keysTouch(n, c));
      case "replace":
        return !onKeyboard(c) || keysTouch(c, e.ch) || this.sound.has(c + e.ch);
    }
  }
}

const NO_SLIP_MODEL = new SlipModel();

/**
 * Typos in a word's ending hide from the stem: "aufwandsentschädigng" keeps its "ng" (the stemmer only cuts
 * endings it recognises), so its stem is two letters from the known one although the word is one letter from
 * "aufwandsentschädigung". The same single edits are therefore tried on the word as typed, near its end, and
 * each result is stemmed. Returns the known stems reached (with the word and edit that reach each) and whether
 * a common word is reached as well.
 */
function endingNeighbours(lw: string, s: string, knows: (t: string) => boolean, common: (t: string) => boolean, stemStarts?: (prefix: string) => boolean): { known: Map<string, { word: string; edit: Edit }>; other: boolean } {
  const found = new Map<string, { word: string; edit: Edit }>();
  let other = false;
  const from = Math.max(1, Math.min(lw.length, s.length) - ENDING_REACH);
  // The tries change nothing before `from`, and a stem only loses letters at its end (umlauts and "ß" folded
  // the same way here): every stem reached starts with the folded first letters, as far as it is long.
  if (stemStarts && !stemStarts(foldStem(lw.slice(0, Math.min(from, PREFIX_LETTERS))).slice(0, PREFIX_LETTERS))) return { known: found, other };
  const take = (w: string, edit: Edit) => {
    const t = stemUncached(w);
    if (t === s || t.length < MIN_STEM || found.has(t)) return;
    if (knows(t)) found.set(t, { word: w, edit });
    else if (common(t)) other = true;
  };
  // Most likely slips first: the first word found for a stem is the one shown.
  for (let i = from; i <= lw.length; i++) for (const c of WORD_LETTERS) take(lw.slice(0, i) + c + lw.slice(i), { op: "insert", at: i, ch: c });
  for (let i = from; i + 1 < lw.length; i++) take(lw.slice(0, i) + lw[i + 1] + lw[i] + lw.slice(i + 2), { op: "swap", at: i, ch: "" });
  for (let i = from; i < lw.length; i++) take(lw.slice(0, i) + lw.slice(i + 1), { op: "delete", at: i, ch: "" });
  for (let i = from; i < lw.length; i++) for (const c of WORD_LETTERS) if (c !== lw[i]) take(lw.slice(0, i) + c + lw.slice(i + 1), { op: "replace", at: i, ch: c });
  return { known: found, other };
}

/** Links between the parts of a compound ("Ehrenamt-s-karte", "Gemeinde-kasse"). */
const LINKS = ["", "s", "e", "n", "es", "en"];

/**
 * Whether a stem is two known words joined ("kostenverteil" = "kost" + "en" + "verteil"): such a word is a
 * compound the knowledge does not use, not a typo, even when a known compound is two slips away
 * ("Kostenbeteilung").
 */
function isCompoundOfKnown(s: string, knows: (t: string) => boolean): boolean {
  for (let cut = 4; cut + 4 <= s.length; cut++) {
    const head = s.slice(0, cut);
    if (!knows(head)) continue;
    for (const link of LINKS) {
      const tail = s.slice(cut + link.length);
      if (tail.length >= 4 && s.startsWith(link, cut) && knows(tail)) return true;
    }
  }
  return false;
}

/** Optimal string alignment distance (adjacent swaps count as one), with the edits that turn `a` into `b`. */
export function editScript(a: string, b: string): { distance: number; edits: Edit[] } {
  const n = a.length;
  const m = b.length;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  // Walk back from the end: edits come out right to left, so applying them in this order keeps the positions
  // of the edits still to come valid.
  const edits: Edit[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && a[i - 1] === b[j - 1] && d[i][j] === d[i - 1][j - 1]) {
      i--;
      j--;
    } else if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] && d[i][j] === d[i - 2][j - 2] + 1) {
      edits.push({ op: "swap", at: i - 2, ch: "" });
      i -= 2;
      j -= 2;
    } else if (i > 0 && j > 0 && d[i][j] === d[i - 1][j - 1] + 1) {
      edits.push({ op: "replace", at: i - 1, ch: b[j - 1] });
      i--;
      j--;
    } else if (i > 0 && d[i][j] === d[i - 1][j] + 1) {
      edits.push({ op: "delete", at: i - 1, ch: "" });
      i--;
    } else {
      edits.push({ op: "insert", at: i, ch: b[j - 1] });
      j--;
    }
  }
  return { distance: d[n][m], edits };
}

/** Stems within two errors of `s` (same first letter: people rarely mistype the first one). */
function twoErrorNeighbours(s: string, stems: Iterable<string>): string[] {
  const out: string[] = [];
  for (const t of stems) {
    if (t === s || t[0] !== s[0] || Math.abs(t.length - s.length) > 2 || t.length < MIN_STEM) continue;
    if (withinEdits(s, t, 2)) out.push(t);
  }
  return out;
}

/**
 * Whether the optimal string alignment distance of `a` and `b` is at most `max`: the same distance as
 * `editScript`, in three rows, stopping as soon as no alignment can stay within `max` (the whole vocabulary is
 * compared with each long unknown word).
 */
export function withinEdits(a: string, b: string, max: number): boolean {
  const m = b.length;
  let before = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // Later rows build on this row, or on the one before it plus one swap.
    if (rowMin > max && prevMin + 1 > max) return false;
    prevMin = rowMin;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[m] <= max;
}

/** The word as the knowledge spells it, or undefined when it is known, too short or not one clear typo. */
export function correctWord(word: string, opts: SpellingOptions): string | undefined {
  const lw = word.toLowerCase();
  if (lw.length < MIN_WORD || lw.length > MAX_WORD || /[^\p{L}]/u.test(lw) || opts.keep?.(lw)) return undefined;
  const s = stem(lw);
  // A word people write ("überwiesen" in the intent examples) is a word, not a typo, even when the knowledge
  // lacks it and has one a letter away ("überwiegen").
  if (s.length < MIN_STEM || opts.knows(s) || opts.common?.(s)) return undefined;
  const common = opts.common ?? (() => false);
  const near = neighbours(s, opts.knows, common);
  // Two words one error away ("Förderbank"/"Förderband", "vergeben"/"vergessen"): the meaning is not clear.
  if (near.known.size > 1 || near.other) return undefined;
  const asTyped = (fixed: string | undefined, target: string) =>
    !fixed || stem(fixed) !== target ? undefined : /^\p{Lu}/u.test(word) ? fixed.charAt(0).toUpperCase() + fixed.slice(1) : fixed;
  const slips = opts.slips ?? NO_SLIP_MODEL;
  // One letter from a known stem, but not by a slip: only the word's ending may still show one ("dorfladn" is
  // "dorfladen" with an "e" left out, which the stem shows as an extra "n").
  const stemTarget = near.known.size === 1 ? [...near.known.keys()][0] : undefined;
  if (stemTarget !== undefined) {
    const edit = near.known.get(stemTarget)!;
    if (slips.isSlip(s, edit)) return asTyped(applyToWord(lw, edit), stemTarget);
  }
  // Beyond one letter in the stem, a word made of known words is read as such.
  if (isCompoundOfKnown(s, opts.knows)) return undefined;
  const ending = endingNeighbours(lw, s, opts.knows, common, opts.stemStarts);
  if (ending.known.size > 1 || ending.other) return undefined;
  if (ending.known.size === 1) {
    const [[target, { word: fixed, edit }]] = [...ending.known];
    if (stemTarget !== undefined && target !== stemTarget) return undefined;
    // Only an ending the stemmer could not cut ("-igng"): a known stem longer than the typed one, or the known
    // stem followed by a regular ending, means the word as typed is another form ("zwingen" / "zwingend",
    // "veranstaltet" / "veranstalten"), not a typo.
    const folded = foldStem(lw);
    const isForm = folded.startsWith(target) && slips.endings.includes(folded.slice(target.length));
    return target.length < s.length && !isForm && slips.isSlip(lw, edit) ? asTyped(fixed, target) : undefined;
  }
  if (stemTarget !== undefined || s.length < MIN_STEM_TWO_ERRORS || !opts.vocabulary) return undefined;
  const far = twoErrorNeighbours(s, opts.vocabulary());
  if (far.length !== 1 || twoErrorNeighbours(s, opts.commonVocabulary?.() ?? []).some((t) => !opts.knows(t))) return undefined;
  const { edits } = editScript(s, far[0]);
  // Two slips, apart from each other: two letters missing or added side by side are a different word part
  // ("abzuschließen" / "abschließen", "Startzuschuss" / "Startschuss"), not two slips.
  if (!edits.every((e) => slips.isSlip(s, e)) || (edits.length === 2 && Math.abs(edits[0].at - edits[1].at) < 2)) return undefined;
  let fixed: string | undefined = lw;
  for (const e of edits) fixed = fixed === undefined ? undefined : applyToWord(fixed, e);
  return asTyped(fixed, far[0]);
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
