import { stem, words } from "./german-text.js";

/**
 * How mayors say it on the phone vs. how the newsletter writes it. Each group is a set of words that
 * mean the same for retrieval; a question word from a group also searches the group's other words.
 * Kept small and domain-specific on purpose: broad thesauri blur answers.
 */
const GROUPS: string[][] = [
  ["kohle", "geld", "zuschuss", "zuschüsse", "förderung", "fördergeld", "fördermittel", "finanzierung", "knete", "moneten", "gefördert"],
  ["blechen", "blecht", "zahlen", "zahlt", "bezahlt", "bezahlen", "ersetzt", "ersetzen", "übernimmt", "haftet", "aufkommen"],
  ["verletzt", "verletzung", "bricht", "gebrochen", "unfall", "verunglückt", "gestürzt", "stürzt", "hingefallen"],
  ["auto", "pkw", "wagen", "karre", "kfz", "privatauto", "privatwagen", "fahrzeug"],
  ["kirmes", "kerb", "kirb", "dorffest", "straßenfest", "strassenfest", "sommerfest", "fest", "feier", "veranstaltung", "pfarrfest", "weinfest"],
  ["helfer", "helferin", "helfende", "freiwillige", "freiwilliger", "ehrenamtliche", "ehrenamtler", "engagierte", "ehrenamtlicher"],
  ["laden", "einkaufen", "einkaufsmöglichkeit", "dorfladen", "nahversorgung", "lebensmittelladen", "tante-emma-laden"],
  ["senioren", "ältere", "älteren", "rentner", "seniorinnen", "alte", "hochbetagte"],
  ["ob", "obm", "ortsbürgermeister", "ortsbürgermeisterin", "bürgermeister", "bürgermeisterin", "ortschef"],
  ["vg", "verbandsgemeinde", "verbandsgemeindeverwaltung"],
  ["lag", "aktionsgruppe", "leader"],
  ["versichert", "versicherung", "versicherungsschutz", "abgesichert", "unfallversichert", "haftpflicht"],
  ["mitfahrbank", "mitfahrerbank", "mitfahrbänke", "mitfahrerbänke", "mitgenommen", "mitnehmen", "mitfahren", "mitfahrgelegenheit", "trampen"],
  ["jugendliche", "jugend", "junge", "jugendlichen", "kinder"],
  ["rasenmähen", "mähen", "heckeschneiden", "hecke", "grünpflege", "arbeitseinsatz", "dreck-weg-tag", "putzaktion", "frühjahrsputz"],
  ["gehalt", "entschädigung", "aufwandsentschädigung", "vergütung", "bezahlung"],
  ["ansprechpartner", "ansprechpartnerin", "kontakt", "telefonnummer", "nummer", "erreichbar", "anrufen"],
  ["frist", "deadline", "stichtag", "einreichung", "einsendeschluss", "bis wann"],
];

const byStem = new Map<string, number>();
GROUPS.forEach((g, i) => {
  for (const w of g) for (const t of words(w)) byStem.set(stem(t), i);
});

export function synonymGroup(term: string): number | undefined {
  return byStem.get(term);
}

export function groupStems(i: number): string[] {
  return GROUPS[i].flatMap((w) => words(w).map(stem));
}

/** The query plus the other words of each synonym group it touches (deduplicated). */
export function expandQuery(query: string): string {
  const extra = new Set<string>();
  const seen = new Set<number>();
  for (const w of words(query)) {
    const g = byStem.get(stem(w));
    if (g === undefined || seen.has(g)) continue;
    seen.add(g);
    for (const x of GROUPS[g]) if (x !== w) extra.add(x);
  }
  return extra.size ? `${query} ${[...extra].join(" ")}` : query;
}
