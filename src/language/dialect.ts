/**
 * Moselfränkisch / Platt → standard German, word by word, from the lexicons in language/.
 * Forms that are also ordinary German words with another meaning ("mir" = wir, "eis" = uns) are applied
 * only when the message is clearly in dialect (enough unambiguous dialect words in it).
 */
export interface DialectLexicon {
  plain: Map<string, string>;
  ambiguous: Map<string, string>;
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
export function toStandardGerman(text: string, lex: DialectLexicon): DialectResult {
  const tokens = text.match(WORD) ?? [];
  const plainHits = tokens.filter((t) => lex.plain.has(t.toLowerCase())).length;
  // Two unambiguous dialect words, or one in a very short message, make the message dialect.
  const isDialect = plainHits >= 2 || (plainHits === 1 && tokens.length <= 4);
  let replaced = 0;
  const out = text.replace(WORD, (w) => {
    const lw = w.toLowerCase();
    const to = lex.plain.get(lw) ?? (isDialect ? lex.ambiguous.get(lw) : undefined);
    if (!to) return w;
    replaced++;
    return /^\p{Lu}/u.test(w) ? to.charAt(0).toUpperCase() + to.slice(1) : to;
  });
  return { text: out, replaced, isDialect };
}
