/**
 * Moselfränkisch / Platt → standard German, word by word, from the lexicons in language/.
 * Forms that are also ordinary German words with another meaning ("mir" = wir, "eis" = uns) are applied
 * only when the message is clearly in dialect (enough unambiguous dialect words in it).
 */
export interface DialectLexicon {
  plain: Map<string, string>;
  ambiguous: Map<string, string>;
  /** Regular sound correspondences (language/platt-sounds.tsv), tried on words no lexicon lists. */
  sounds?: SoundRule[];
  /** Spellings that mark a word as dialect (language/platt-spelling.txt). */
  spelling?: RegExp[];
}

/** Shorter unknown words in a dialect message are taken as dialect ("eis", "krie"). */
const SHORT_DIALECT_WORD = 3;

/** Does this word (lower case, as written) look like a dialect word rather than a standard German one? */
export function looksDialect(word: string, lex: DialectLexicon): boolean {
  return word.length <= SHORT_DIALECT_WORD || (lex.spelling ?? []).some((re) => re.test(word));
}

export interface SoundRule {
  from: string;
  to: string;
  /** Only at the end of the word. */
  final: boolean;
}

export function parseSounds(tsv: string): SoundRule[] {
  return tsv.split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => {
    const [from, to] = l.split("\t").map((x) => x.trim().toLowerCase());
    const final = from.endsWith("$");
    return { from: final ? from.slice(0, -1) : from, to, final };
  }).filter((r) => r.from && r.to !== undefined);
}

/** At most this many correspondences in a row ("samschdeg": schd→st, e→a). */
const MAX_SOUND_STEPS = 3;
/** Shorter words are too ambiguous to reshape ("de", "em", "su"). */
const MIN_SOUND_WORD = 2;

function applyRule(w: string, r: SoundRule): string | undefined {
  if (r.final) return w.endsWith(r.from) ? w.slice(0, w.length - r.from.length) + r.to : undefined;
  return w.includes(r.from) ? w.split(r.from).join(r.to) : undefined;
}

/**
 * The standard form of a dialect word no lexicon lists: the fewest regular sound correspondences that make
 * it a word `known` accepts (breadth first, rules in file order), else the last part of a compound that a
 * lexicon lists ("Schwerpunktgemeng" → "Schwerpunktgemeinde"). Undefined: left as it is.
 */
export function reshape(word: string, lex: DialectLexicon, known: (w: string) => boolean): string | undefined {
  const lw = word.toLowerCase();
  if (lw.length < MIN_SOUND_WORD || known(lw)) return undefined;
  let level = [lw];
  const seen = new Set(level);
  for (let step = 0; step < MAX_SOUND_STEPS && level.length; step++) {
    const next: string[] = [];
    for (const w of level) for (const r of lex.sounds ?? []) {
      const v = applyRule(w, r);
      if (!v || seen.has(v)) continue;
      if (known(v)) return v;
      seen.add(v);
      next.push(v);
    }
    level = next;
  }
  for (let i = 1; i <= lw.length - 4; i++) {
    const head = lex.plain.get(lw.slice(i));
    if (head && !head.includes(" ") && lw.slice(0, i).length >= 3) return lw.slice(0, i) + head;
  }
  return undefined;
}

export function parseLexicon(tsv: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of tsv.split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#")) continue;
    const [from, to] = t.split("\t").map((x) => x?.trim().toLowerCase());
    if (from && to && from !== to && !m.has(from)) m.set(from, to);
  }
  return m;
}

export interface DialectResult {
  text: string;
  /** How many words were replaced (0: the message was left as it was). */
  replaced: number;
  isDialect: boolean;
}

/** Apostrophes separate words ("d'Ehrenamtskaart" → "d", "Ehrenamtskaart"). */
const WORD = /\p{L}+/gu;

/** Replaces dialect words, keeping everything else (punctuation, numbers, case of untouched words). */
export function toStandardGerman(text: string, lex: DialectLexicon, known?: (w: string) => boolean): DialectResult {
  const tokens = text.match(WORD) ?? [];
  const plainHits = tokens.filter((t) => lex.plain.has(t.toLowerCase())).length;
  // Two unambiguous dialect words, or one in a very short message, make the message dialect.
  const isDialect = plainHits >= 2 || (plainHits === 1 && tokens.length <= 4);
  let replaced = 0;
  const out = text.replace(WORD, (w) => {
    const lw = w.toLowerCase();
    const to = lex.plain.get(lw) ?? (isDialect ? lex.ambiguous.get(lw) ?? (known ? reshape(w, lex, known) : undefined) : undefined);
    if (!to) return w;
    replaced++;
    return /^\p{Lu}/u.test(w) ? to.charAt(0).toUpperCase() + to.slice(1) : to;
  });
  return { text: out, replaced, isDialect };
}
