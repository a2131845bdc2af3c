import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { IntentDef } from "./intent-classifier.js";
import { MessageSplitter, type SegmentationData } from "./segment.js";
import type { AnswerTypeData } from "./answer-type.js";
import { parseLexicon, parseSounds, type DialectLexicon } from "./dialect.js";
import type { PlacesData } from "./places.js";
import type { SpellingData } from "./spelling.js";

import { LANGUAGE_DIR } from "../retrieval/german-text.js";

export { LANGUAGE_DIR };

export interface AnswerabilityData {
  gap_phrases: string[];
  /** Words before a date that make it a deadline ("Bewerbungsschluss ist der …"): a passed one is said so. */
  deadline_cues?: string[];
  /** Gap phrases that only hedge a figure the entry still gives. */
  hedge_phrases?: string[];
  future_markers: string[];
  yes_no_same_question: number;
  /** Candidates this close in probability: the one whose own question wants the same kind of answer first. */
  type_agree_tie?: number;
  /** Words after a four-digit number that make it an amount, not a year ("2000 euro"). */
  not_year_before?: string[];
  /** Hedges before "ja"/"nein"/"nicht" and softeners after "nicht" that make a verdict lead like "Ja."/"Nein.". */
  verdict_hedges?: string[];
  verdict_softeners?: string[];
  current_markers: string[];
  status_words: string[];
  /** Feature → limit: above it a candidate is not an answer. */
  gates: Record<string, number>;
  /** Swear words and venting: no topic in a question. */
  expletives?: { words: string[]; heads: string[]; prefixes: string[] };
  /** Two ends of one scale each ("kleinste" / "größte"): patterns over lower-case words. */
  opposites?: [string, string][];
  /** Scopes a figure holds for (county, Land, country): patterns each; and the answer types they matter for. */
  scopes?: Record<string, string[]>;
  scope_types?: string[];
  /** A table's unit (lower case, as the table writes it: "ew") → the words a question uses for it ("einwohner"). */
  table_units?: Record<string, string[]>;
  /** A source's pointers to its own layout ("siehe unten"): left out of a passage shown on its own. */
  layout_references?: string[];
  /** Conjunctions that open a condition ("wenn"): after a dropped "Ja," the sentence reads "Das gilt, wenn …". */
  condition_leads?: string[];
  /** How many words the knowledge has never seen make a question read with the one before it a question of its own. */
  part_alone_unknown?: number;
  /** Words after a future marker that make it the time of the mayor's own plan ("nächsten Samstag"), not a question about the future. */
  future_near_units?: string[];
  /** Who a question is about (Verein, Ortsgemeinde, Ortsvorsteher …): patterns over lower-case words each. */
  actors?: Record<string, string[]>;
}

export interface LanguageData {
  intents: IntentDef[];
  segmentation: SegmentationData;
  answerTypes: AnswerTypeData;
  answerability: AnswerabilityData;
  dialect: DialectLexicon;
  safety: { rules: { name: string; intent: string; pattern: string; case_sensitive?: boolean; yields_to_intents?: boolean; must_match?: string[]; must_not_match?: string[] }[]; permission_questions: string[]; rule_questions?: string[]; smalltalk_max_content_words: number; bot_address?: string[]; refusal_review_below?: number };
  firstNames: string[];
  /** What makes a difference a typing slip (language/spelling.yaml). */
  spelling: SpellingData;
  places: PlacesData;
}

function readYaml<T>(path: string): T {
  try {
    return parse(readFileSync(path, "utf8")) as T;
  } catch (err) {
    throw new Error(`Sprachdatei ${path} ist nicht lesbar: ${(err as Error).message}`, { cause: err });
  }
}

function readOptional(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** Common first names (language/first-names.txt): a person's name in a question, or in a text staff publish. */
export function readFirstNames(dir = LANGUAGE_DIR): string[] {
  return readOptional(join(dir, "first-names.txt")).split("\n").filter((l) => !l.startsWith("#")).flatMap((l) => l.split(/\s+/)).filter(Boolean);
}

let abbreviations: Set<string> | undefined;

/** Words after which a full stop ends no sentence ("z. B.", "ca.", "Nr."), from language/segmentation.yaml. */
export function sentenceAbbreviations(): Set<string> {
  return (abbreviations ??= new Set(readYaml<SegmentationData>(join(LANGUAGE_DIR, "segmentation.yaml")).abbreviations));
}

let splitter: MessageSplitter | undefined;

/** Sentences of a knowledge text, split as a message is ("26. Februar", "z. B." and "Nr. 3" kept whole). */
export function sentencesOf(text: string): string[] {
  return (splitter ??= new MessageSplitter(readYaml<SegmentationData>(join(LANGUAGE_DIR, "segmentation.yaml")))).sentences(text);
}

export function loadLanguageData(dir = LANGUAGE_DIR): LanguageData {
  const intentDir = join(dir, "intents");
  const intents = readdirSync(intentDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => readYaml<IntentDef>(join(intentDir, f)));
  return {
    intents,
    segmentation: readYaml<SegmentationData>(join(dir, "segmentation.yaml")),
    answerTypes: readYaml<AnswerTypeData>(join(dir, "answer-types.yaml")),
    answerability: readYaml<AnswerabilityData>(join(dir, "answerability.yaml")),
    safety: readYaml(join(dir, "safety.yaml")),
    places: readYaml<PlacesData>(join(dir, "places.yaml")),
    spelling: readYaml<SpellingData>(join(dir, "spelling.yaml")),
    firstNames: readFirstNames(dir),
    dialect: {
      plain: parseLexicon(readOptional(join(dir, "platt.tsv"))),
      ambiguous: parseLexicon(readOptional(join(dir, "platt-ambiguous.tsv"))),
      sounds: parseSounds(readOptional(join(dir, "platt-sounds.tsv"))),
      spelling: readOptional(join(dir, "platt-spelling.txt")).split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => new RegExp(l.trim(), "u")),
    },
  };
}
