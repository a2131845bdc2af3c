import { stemmer as snowballGerman } from "@orama/stemmers/german";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's language data (stop words, synonyms, intents, answer types, dialect). */
export const LANGUAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../language");

/** Function words that carry no topic: language/stopwords.txt (data, with tests beside it). */
export const STOPWORDS = new Set(
  readFileSync(join(LANGUAGE_DIR, "stopwords.txt"), "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .flatMap((l) => l.trim().split(/\s+/))
    .filter(Boolean),
);

/** Short fingerprint of the stop word list (part of the offline embedder's id). */
export const STOPWORDS_FINGERPRINT = createHash("sha256").update([...STOPWORDS].sort().join(" ")).digest("hex").slice(0, 8);

/** Normalises user and knowledge text: Unicode NFKC, no invisible characters, lower case. */
export function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, "")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, " ")
    .toLowerCase();
}

/** ä→ae etc., so "Dorfläden", "Dorflaeden" and "Dorfladen" meet in the middle. */
export function foldUmlauts(word: string): string {
  return word.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
}

/** Words of a text, lower-cased; keeps numbers with dots (3.000), §, % as their own tokens. */
export function words(text: string): string[] {
  const t = normalize(text)
    .replace(/(\d)\.(\d{3})\b/g, "$1$2")
    .replace(/(\d),(\d)/g, "$1_$2");
  return t.match(/§|%|[\p{L}\p{N}_]+/gu) ?? [];
}

const stemCache = new Map<string, string>();

/** `stem` without its cache: for the many candidate spellings a typo correction tries once each. */
export function stemUncached(word: string): string {
  return /\d/.test(word) ? word : foldUmlauts(snowballGerman(word)).replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
}
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    // Snowball maps ä→a; typed transcriptions ("staerkt", "fuer") must land on the same stem.
    s = stemUncached(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** Content terms for matching: stop words out, stemmed, umlauts folded. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d|§|%/.test(w)))
    .map(stem);
}
