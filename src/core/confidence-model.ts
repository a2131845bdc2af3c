import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LANGUAGE_DIR } from "../language/resources.js";

/** The features the answerability check computes for one question and one candidate passage. */
export const FEATURES = [
  "coverage", // IDF-weighted share of the question's terms in the whole entry (incl. its own phrasings)
  "shownCoverage", // … in the text that would be shown
  "focus", // weakest match among the question's two most telling known terms
  "bestSentence", // share of the question carried by the single best sentence shown (and the next one)
  "phrasingCoverage", // share of the question found in the entry's own question and phrasings
  "absentRare", // IDF of the question's known terms absent from the whole entry, summed, over the largest IDF
  "unknown", // share of the question's weight in terms the knowledge has never seen
  "typeMissing", // the question wants an amount/date/contact/… and the carrying sentences have none
  "gapOnly", // share of the question's weight carried only by "not in our documents" sentences
  "gapBest", // the sentence that carries most of the question says "not in our documents"
  "programmeAbsent", // the question names a funding programme the entry never mentions
  "placeAbsent", // the question names a place of the county (language/places.yaml) the entry mentions neither by name nor by its Verbandsgemeinde
  "outsideAbsent", // the question names a place outside the county (another Kreis, Land or country) the entry does not mention
  "typeGap", // a "not in our documents" sentence names the kind of answer wanted ("Förderhöhe … nicht in unseren Unterlagen")
  "typeAgree", // the entry's own question wants the same kind of answer (1), another (0), unknown (0.5)
  "askedMissing", // the thing asked for ("welche Tätigkeiten"), a word the knowledge knows, is not in the shown text
  "missingRare", // the most telling known term of the question that the shown text lacks (IDF, 0..1)
  "numberMissing", // share of the question's numbers and years the shown text lacks
  "yearMissing", // a year the question names is neither the passage's year nor in its text
  "futureClash", // asks about the next/coming one while the passage knows only earlier dates
  "oppositeShown", // asks for one end of a scale ("die kleinste", "der letzte") and the shown text names only the other
  "scopeClash", // asks for a count or share of one scope (the county) and the shown text names only another (the Land)
  "actorClash", // the question is about one actor (a Verein), the entry's own question about another (the Ortsgemeinde)
  "currentClash", // asks about today ("noch", "mittlerweile") while the passage is older and states no status
  "noTopic", // the question names only the kind of answer ("Wie hoch ist?", "Was kostet das?") and nothing before it says what
  "vectorSim",
  "questionMatch", // how much of the entry's own question the message contains
  "phrasingSim", // closest wording (character n-grams) between the question and one of the entry's phrasings
  "contextCoverage", // share of the story around the question found in the entry
  "relScore", // retrieval score relative to the best candidate
  "isFaq",
  "yesNoDropped", // a leading "Ja."/"Nein." of another question was left out
  "staffLikelihood", // how much the message looks like an individual case or a wish for a person (intent model)
  "exampleRight", // similarity to a labelled question this entry answered (language/examples.json)
  "exampleWrong", // similarity to a labelled question this entry came up for but did not answer
  "exampleNovel", // share of the question (IDF) in words neither the entry nor any question it answered uses
  "exampleVote", // the entry's share of the 5 labelled questions most like the message
  "dialect", // the message is written in dialect (its terms come from a translation)
  "absentTelling", // of the question's terms the entry lacks, the one whose lack most often meant a wrong answer in the labelled questions (log-odds)
  "bareOtherType", // the message only names a topic (it asks what it is) and the entry's own question asks for another kind of answer
  "yesNoAsk", // the question only asks yes or no: the passage must decide that very case, so the same overlap says less
] as const;
export type FeatureName = (typeof FEATURES)[number];

/**
 * The features the confidence model uses: each with a clear direction (more of the question found → more
 * likely right; a missing asked thing, a gap, a dropped "Ja."/"Nein." → less). The others are computed for
 * the hard limits (gates) and for staff's reasons. Chosen on the calibration data by out-of-fold cost: the
 * full set fitted collinear weights with signs against their meaning and did no better.
 */
export const MODEL_FEATURES: FeatureName[] = [
  "shownCoverage", "bestSentence", "questionMatch", "vectorSim", "typeAgree", "gapOnly", "askedMissing",
  "missingRare", "relScore", "contextCoverage", "yesNoDropped", "placeAbsent", "outsideAbsent", "exampleRight", "exampleWrong",
  "exampleNovel", "exampleVote", "absentTelling", "dialect", "yesNoAsk",
];
export type Features = Record<FeatureName, number>;

/** The features read from the labelled examples (language/examples.json), filled by the planner. */
export const EXAMPLE_FEATURES = ["exampleRight", "exampleWrong", "exampleNovel", "exampleVote"] as const satisfies readonly FeatureName[];

/** One logistic model: its features, the standardisation used while fitting, weights and bias. */
export interface LinearModel {
  features: FeatureName[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

export interface CalibrationFile extends LinearModel {
  /** How it was made: command, data, date, counts. */
  fittedOn: { command: string; files: string[]; rows: number; questions: number };
  /**
   * For a passage of an entry no labelled question names (new knowledge: example features NaN): the same fit
   * without the example features, so new entries are judged as before, not as "unlike every labelled question".
   */
  withoutExamples?: LinearModel;
  /** Probability above which an answer is given; chosen with the cost ratio below. */
  threshold: number;
  costWrongVsMissed: number;
}

export const CALIBRATION_FILE = join(LANGUAGE_DIR, "calibration.json");

/** Logistic model: probability that the answer shown from this passage is right. */
export class ConfidenceModel {
  constructor(readonly file: CalibrationFile) {}

  static load(path = CALIBRATION_FILE): ConfidenceModel {
    if (!existsSync(path)) throw new Error(`Kalibrierung fehlt: ${path} (npm run calibrate erzeugt sie)`);
    const file = JSON.parse(readFileSync(path, "utf8")) as CalibrationFile;
    return new ConfidenceModel(file);
  }

  get threshold(): number {
    return this.file.threshold;
  }

  /** A fitted model (not the neutral one calibration collects with: every probability 0.5, the search order stands). */
  get informative(): boolean {
    return this.file.weights.some((w) => w !== 0);
  }

  /** Whether the example features say nothing about this passage's entry (no labelled question names it). */
  static unknownEntry(f: Features): boolean {
    return EXAMPLE_FEATURES.some((n) => Number.isNaN(f[n]));
  }

  linear(f: Features): number {
    const { features, mean, scale, weights, bias } = ConfidenceModel.unknownEntry(f) && this.file.withoutExamples ? this.file.withoutExamples : this.file;
    let z = bias;
    features.forEach((name, i) => {
      const v = f[name] ?? 0;
      z += weights[i] * (((Number.isNaN(v) ? mean[i] : v) - mean[i]) / (scale[i] || 1));
    });
    return z;
  }

  probability(f: Features): number {
    return 1 / (1 + Math.exp(-this.linear(f)));
  }
}

/**
 * Candidates best first by probability; when the best one's own question asks for another kind of answer (or
 * none is known) and one that asks for the same kind is within `tie`, that one comes first. Used by the planner
 * and by the calibration's out-of-fold decisions, so the threshold is chosen on the same choice.
 */
export function rankCandidates<T>(list: readonly T[], probability: (c: T) => number, typeAgree: (c: T) => number, tie: number): T[] {
  const ranked = [...list].sort((a, b) => probability(b) - probability(a));
  if (tie > 0 && ranked.length > 1 && typeAgree(ranked[0]) < 1) {
    const top = probability(ranked[0]);
    const agreeing = ranked.findIndex((c) => typeAgree(c) === 1 && top - probability(c) <= tie);
    if (agreeing > 0) ranked.unshift(...ranked.splice(agreeing, 1));
  }
  return ranked;
}
