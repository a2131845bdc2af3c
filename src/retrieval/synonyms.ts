import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { LANGUAGE_DIR, stem, words } from "./german-text.js";

/** Synonym groups (language/synonyms.yaml): how mayors say it vs. how the newsletter writes it. */
const GROUPS: string[][] = (parse(readFileSync(join(LANGUAGE_DIR, "synonyms.yaml"), "utf8")) as { groups: string[][] }).groups;

const byStem = new Map<string, number>();
GROUPS.forEach((g, i) => {
  for (const w of g) for (const t of words(w)) byStem.set(stem(t), i);
});

export function synonymGroup(term: string): number | undefined {
  return byStem.get(term);
}

/** Each group's stems, computed once (asked for every question term of every candidate passage). */
const GROUP_STEMS: string[][] = GROUPS.map((g) => g.flatMap((w) => words(w).map(stem)));

export function groupStems(i: number): string[] {
  return GROUP_STEMS[i];
}

/**
 * How much a synonym counts in the lexical search against a word the mayor wrote ("Kohle" finds "Förderung",
 * but a passage that says "Kohle" stays ahead).
 */
export const SYNONYM_WEIGHT = 0.4;

/** The other words of each synonym group the query touches (deduplicated), searched with it at SYNONYM_WEIGHT. */
export function synonymsOf(query: string): string[] {
  const extra = new Set<string>();
  const seen = new Set<number>();
  for (const w of words(query)) {
    const g = byStem.get(stem(w));
    if (g === undefined || seen.has(g)) continue;
    seen.add(g);
    for (const x of GROUPS[g]) if (x !== w) extra.add(x);
  }
  return [...extra];
}
