import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { LANGUAGE_DIR } from "../language/resources.js";
import { unfold } from "../language/answer-type.js";
import type { Applicant } from "./programmes.js";
import { languageRegex } from "../language/regex.js";

interface Labelled {
  id: string;
  label: string;
  words: string[];
  broader?: string[];
}
export interface PurposeData {
  money_asks: string[];
  /** A question for money that points at the project told before it (its purpose is read from that story). */
  story_pointers?: string[];
  /** Ways to ask for money that count only in a question pointing at the story before it. */
  money_asks_pointing?: string[];
  /** Words before an applicant word that deny it ("ohne Verein"). */
  applicant_negations?: string[];
  /** A question about a grant of its own ("die Förderung"): its story is not searched. */
  own_grant?: string;
  /** The answer types the programme list gives; a question for another kind is not the Förder-Finder's. */
  finder_types?: string[];
  /** How the thing asked to be funded is found in a message (see language/purposes.yaml). */
  objects: { funding_verbs: string[]; markers: string[]; ends: string[]; pronouns: string[]; of_words?: string[] };
  applicants: Labelled[];
  purposes: Labelled[];
}

export function loadPurposeData(dir = LANGUAGE_DIR): PurposeData {
  return parse(readFileSync(join(dir, "purposes.yaml"), "utf8")) as PurposeData;
}

/** Lower case, umlauts typed as ae/oe/ue read as umlauts, words separated by single spaces. */
function normal(text: string): string {
  return ` ${unfold(text).replace(/[^\p{L}\p{N}]+/gu, " ").replace(/\s+/g, " ").trim()} `;
}

/**
 * A word list entry matches at the start of a word ("spielplatz" → "Spielplatzes") or inside a compound
 * ("Kinderspielplatz"); words under five letters only as whole words with an ending; several words
 * ("mittel für") match as a phrase.
 */
function found(text: Normalised, word: string): boolean {
  let w = normalWords.get(word);
  if (w === undefined) normalWords.set(word, (w = normal(word).trim()));
  if (!w) return false;
  if (w.includes(" ")) return text.text.includes(` ${w} `) || text.text.includes(` ${w}`);
  // Short words are ambiguous as prefixes ("fest" → "festlegen", "rat" → "Ratgeber"): whole word, or with an ending.
  if (w.length < 5) return text.tokens.some((t) => t === w || (t.startsWith(w) && /^(e|en|er|es|s|n)$/.test(t.slice(w.length))));
  return text.tokens.some((t) => t.startsWith(w) || (t.length > w.length && t.includes(w)));
}

/** A question as the money patterns read it: umlauts typed as ae/oe/ue unfolded, "ß" as "ss" ("Zuschuß"). */
const moneyText = (text: string): string => unfold(text).replace(/ß/g, "ss").replace(/\s+/g, " ").trim();

/** A text normalised once, with its words, for matching against every word list entry. */
interface Normalised {
  text: string;
  tokens: string[];
}
/** An already normalised text (spaces at both ends) as a `Normalised`. */
const normalisedText = (t: string): Normalised => ({ text: t, tokens: t.split(" ") });
const normalised = (text: string): Normalised => {
  const t = normal(text);
  return { text: t, tokens: t.split(" ") };
};
/** The word lists are fixed: each entry is normalised once. */
const normalWords = new Map<string, string>();

export interface PurposeReading {
  /** The message asks for money ("Geld", "Zuschuss", "wer fördert …"). */
  money: boolean;
  purposes: string[];
  applicant?: Applicant;
}

/** Reads what a message wants money for and who would apply (language/purposes.yaml). */
export class Purposes {
  private moneyAsks: RegExp[];
  private storyPointers: RegExp[];
  private moneyAsksPointing: RegExp[];
  private ownGrant?: RegExp;
  private verbObjects: RegExp;
  private markerObjects: RegExp;
  private objectEnd: string;
  private pronoun: RegExp;

  constructor(readonly data: PurposeData = loadPurposeData()) {
    this.moneyAsks = data.money_asks.map((p) => languageRegex(p));
    this.storyPointers = (data.story_pointers ?? []).map((p) => languageRegex(p));
    this.moneyAsksPointing = (data.money_asks_pointing ?? []).map((p) => languageRegex(p));
    this.ownGrant = data.own_grant ? languageRegex(data.own_grant) : undefined;
    const o = data.objects;
    const end = `(?=\\s+(?:${o.ends.join("|")})\\s|[?.!,;]|$)`;
    this.verbObjects = new RegExp(`\\bwer\\s+(?:${o.funding_verbs.join("|")})\\s+(.+?)${end}`, "giu");
    this.markerObjects = new RegExp(`\\b(?:${o.markers.join("|")})\\s+(.+?)${end}`, "giu");
    this.pronoun = new RegExp(`^(${o.pronouns.join("|")})$`, "iu");
    this.objectEnd = end;
  }

  /**
   * Does this question ask for money for a project told before it ("Wer fördert sowas?", "Welche
   * Fördermöglichkeiten gibt es da?")? Not when it is about a grant of its own ("die Förderung").
   */
  asksMoneyForStory(text: string): boolean {
    const q = moneyText(text);
    if (!this.storyPointers.some((re) => re.test(q)) || this.ownGrant?.test(q)) return false;
    return this.moneyAsks.some((re) => re.test(q)) || this.moneyAsksPointing.some((re) => re.test(q));
  }

  /** Does the programme list give this kind of answer (no kind named: a plain "Geld für …?")? */
  listAnswers(types: string[]): boolean {
    const ok = this.data.finder_types;
    return !ok || types.every((t) => ok.includes(t));
  }

  get ids(): Set<string> {
    return new Set(this.data.purposes.map((p) => p.id));
  }

  label(id: string): string {
    return this.data.purposes.find((p) => p.id === id)?.label ?? id;
  }

  /** The wider fields of these purposes, without the purposes themselves. */
  broader(ids: string[]): string[] {
    const out = this.data.purposes.filter((p) => ids.includes(p.id)).flatMap((p) => p.broader ?? []);
    return [...new Set(out)].filter((x) => !ids.includes(x));
  }

  applicantLabel(id: Applicant): string {
    return this.data.applicants.find((a) => a.id === id)?.label ?? id;
  }

  read(text: string): PurposeReading {
    const t = normalised(text);
    const q = moneyText(text);
    const money = this.moneyAsks.some((re) => re.test(q));
    // "Geld für einen Spielplatz im Ortskern", "Förderung für eine PV-Anlage auf dem Gemeindehaus": the purpose
    // is what follows "für", up to the place it is in. A "für …" that names no known purpose means the purpose
    // is one the programmes do not know (not the building it stands on); without "für" the whole question counts.
    // "Wer fördert ein neues Fahrzeug für die Feuerwehr?": what is funded is the object of the verb; "für …"
    // names whom it is for. The first of them is what the money is for: when it names no known purpose, no
    // programme funds it, whatever the others name ("die Freiwillige Feuerwehr" is no search for volunteering
    // money).
    const u = unfold(text);
    const objects = [
      ...[...u.matchAll(this.verbObjects)].map((m) => m[1]).filter((o) => !this.pronoun.test(o)),
      ...[...u.matchAll(this.markerObjects)].map((m) => m[1]),
    ];
    // An action named as the object says what it acts on after "von" ("für den Schnitt von unseren Streuobstbäumen",
    // "Wer fördert das Schneiden von Obstbäumen?"): when the action alone names no purpose, that phrase belongs to it.
    const of = this.data.objects.of_words ?? [];
    if (objects.length && of.length && !this.named(objects[0]).length) {
      const esc = objects[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const m = new RegExp(`${esc}\\s+(?:${of.join("|")})\\s+(.+?)${this.objectEnd}`, "iu").exec(u);
      if (m && this.named(m[1]).length) objects[0] = `${objects[0]} ${m[1]}`;
    }
    const inObjects = objects.length && this.named(objects[0]).length ? [...new Set(objects.flatMap((o) => this.named(o)))] : [];
    const purposes = objects.length ? inObjects : this.named(text);
    return { money, purposes, applicant: this.applicantIn(t) };
  }

  /**
   * What a story told before a question for money ("Wer fördert sowas?") wants money for: every purpose it names.
   * Its "für"/"zum" phrases are no funding objects there ("… fahren zum Supermarkt").
   */
  readStory(text: string): { purposes: string[]; applicant?: Applicant } {
    return { purposes: this.named(text), applicant: this.applicantIn(normalised(text)) };
  }

  private named(part: string): string[] {
    const n = normalised(part);
    return this.data.purposes.filter((p) => p.words.some((w) => found(n, w))).map((p) => p.id);
  }

  /** The one applicant a normalised text names; "unser Verein" and "die Gemeinde" together: unclear, ask. */
  private applicantIn(t: Normalised): Applicant | undefined {
    const applicants = this.applicantsIn(t);
    return applicants.length === 1 ? applicants[0] : undefined;
  }

  /**
   * The applicants a text names, each counted only where no negation stands before its word ("ohne Verein" names an
   * initiative, not a club).
   */
  private applicantsIn(t: Normalised): Applicant[] {
    const neg = (this.data.applicant_negations ?? []).map((n) => normal(n).trim());
    return this.data.applicants.filter((a) => a.words.some((w) => {
      if (!found(t, w)) return false;
      const word = normal(w).trim();
      // Every place the word stands after a negation is taken out; the word still counts if it stands elsewhere.
      let rest = t.text;
      for (const n of neg) rest = rest.split(` ${n} ${word}`).join(" ");
      return rest === t.text || found(normalisedText(rest), w);
    })).map((a) => a.id as Applicant);
  }

  /** The applicant a short reply names ("Verein", "als Gemeinde"), if it names exactly one. */
  applicantOf(text: string): Applicant | undefined {
    return this.applicantIn(normalised(text));
  }
}
