import { languageRegex } from "./regex.js";
/**
 * What kind of answer a question wants (amount, date, contact, …) and whether a piece of text contains
 * that kind of answer. Patterns are data (language/answer-types.yaml).
 */
export interface AnswerTypeData {
  types: {
    name: string; strong: boolean; locates?: boolean; excludes_below?: boolean; total_is_not_items?: boolean; type_words?: string[];
    ask: string[]; evidence: string[];
    /** Types that, when also asked for, make this one redundant ("wie viele Jahre" is a duration, not also a count). */
    yields_to?: string[];
    case_sensitive?: boolean;
  }[];
}

interface CompiledType {
  name: string;
  strong: boolean;
  locates: boolean;
  excludesBelow: boolean;
  totalIsNotItems: boolean;
  typeWords: string[];
  yieldsTo: string[];
  ask: RegExp[];
  evidence: RegExp[];
  caseSensitive: boolean;
}

/** ae/oe/ue typed for umlauts ("foerderquote") are read as umlauts, so patterns need one spelling only. */
export function unfold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ae/g, "ä")
    .replace(/oe/g, "ö")
    .replace(/(?<![aeq])ue/g, "ü");
}

export class AnswerTypes {
  private types: CompiledType[];

  /** `firstNames` fills the placeholder {first_names} (language/first-names.txt). */
  constructor(data: AnswerTypeData, firstNames: string[] = []) {
    const names = firstNames.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|") || "(?!)";
    const fill = (p: string) => p.replace("{first_names}", names);
    this.types = data.types.map((t) => ({
      name: t.name,
      strong: t.strong,
      locates: t.locates ?? true,
      excludesBelow: t.excludes_below ?? false,
      totalIsNotItems: t.total_is_not_items ?? false,
      typeWords: t.type_words ?? [],
      yieldsTo: t.yields_to ?? [],
      ask: t.ask.map((p) => languageRegex(fill(p))),
      evidence: t.evidence.map((p) => languageRegex(fill(p), t.case_sensitive ? "u" : "iu")),
      caseSensitive: Boolean(t.case_sensitive),
    }));
  }

  get names(): string[] {
    return this.types.map((t) => t.name);
  }

  /** All answer types the question asks for, most specific first. */
  detect(question: string): string[] {
    return this.analyse(question).types;
  }

  /**
   * Answer types, and the words that only say which kind of answer is wanted ("hoch" in "wie hoch",
   * "Frist", "Telefonnummer"; `type_words` of each detected type). A passage need not repeat them;
   * it must contain that kind of answer instead.
   */
  analyse(question: string): { types: string[]; typeWords: string[] } {
    let r = this.analysed.get(question);
    if (!r) {
      r = this.analyseUncached(question);
      remember(this.analysed, question, r);
    }
    return { types: [...r.types], typeWords: [...r.typeWords] };
  }

  // The same passages' own questions and sentences are judged for every question: their regex results are kept.
  private analysed = new Map<string, { types: string[]; typeWords: string[] }>();
  private evidence = new Map<string, boolean>();

  private analyseUncached(question: string): { types: string[]; typeWords: string[] } {
    const q = question.toLowerCase().replace(/\s+/g, " ").trim();
    const u = unfold(q);
    const matched: CompiledType[] = [];
    for (const t of this.types) if (t.ask.some((re) => re.test(q) || (u !== q && re.test(u)))) matched.push(t);
    const names = new Set(matched.map((t) => t.name));
    const kept = matched.filter((t) => !t.yieldsTo.some((o) => names.has(o)));
    return { types: kept.map((t) => t.name), typeWords: [...new Set(matched.flatMap((t) => t.typeWords))] };
  }

  /**
   * Does the text name this kind of answer ("Förderhöhe", "Telefonnummer", "Frist")? A word counts when it
   * is a type word or a compound ending in one (German compounds put the head last: Förder|höhe).
   */
  namesType(name: string, text: string): boolean {
    const t = this.types.find((x) => x.name === name);
    if (!t) return false;
    const words = unfold(text).split(/[^\p{L}]+/u).filter(Boolean);
    return t.typeWords.some((tw) => {
      const w0 = unfold(tw);
      return w0.length >= 4 && words.some((w) => w === w0 || (w.endsWith(w0) && w.length > w0.length + 2));
    });
  }

  /** Whether a text that counts the asked things ("umfasst 39 Gemeinden") lacks this kind of answer (the items). */
  totalIsNotItems(name: string): boolean {
    return this.types.find((t) => t.name === name)?.totalIsNotItems ?? false;
  }

  /**
   * Whether two kinds of answer ask for the same thing: equal, or one a vaguer form of the other ("wie viel …" yields
   * to a sum or a number, a count to a duration: `yields_to`).
   */
  compatible(a: string, b: string): boolean {
    const yields = (x: string, y: string) => this.types.find((t) => t.name === x)?.yieldsTo.includes(y) ?? false;
    return a === b || yields(a, b) || yields(b, a);
  }

  isStrong(name: string): boolean {
    return this.types.find((t) => t.name === name)?.strong ?? false;
  }

  /**
   * Whether a sentence with this type's evidence holds the answer (a sum, a date): such sentences are shown
   * first. Not for a type whose evidence is what a passage lacks (a list not marked as examples).
   */
  locatesAnswer(name: string): boolean {
    return this.types.find((t) => t.name === name)?.locates ?? true;
  }

  /**
   * Whether a passage the search ranked higher lacking this type rules out the lower-ranked ones: a list the
   * best passage gives only as examples is not complete in another passage without example words.
   */
  excludesBelow(name: string): boolean {
    return this.types.find((t) => t.name === name)?.excludesBelow ?? false;
  }

  /** Does the text contain an answer of this type? */
  hasEvidence(name: string, text: string): boolean {
    const t = this.types.find((x) => x.name === name);
    if (!t) return true;
    const key = `${name}\u0000${text}`;
    let found = this.evidence.get(key);
    if (found === undefined) {
      found = t.evidence.some((re) => re.test(t.caseSensitive ? text : text.toLowerCase()));
      remember(this.evidence, key, found);
    }
    return found;
  }
}

/** Bounded memo: a long-running bot sees endless new questions; forgetting everything now and then is enough. */
const MEMO_LIMIT = 20_000;
function remember<V>(m: Map<string, V>, key: string, value: V): void {
  if (m.size >= MEMO_LIMIT) m.clear();
  m.set(key, value);
}
