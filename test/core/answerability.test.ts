import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import { createLanguage } from "../../src/app.js";
import { verdictLead } from "../../src/core/answerability.js";
import { loadLanguageData } from "../../src/language/resources.js";
import type { Hit } from "../../src/retrieval/hybrid-retriever.js";

/** The answerability check on real passages of the knowledge base. */
type TestCore = Awaited<ReturnType<typeof makeCore>>;
let core: TestCore;
let lang: ReturnType<typeof createLanguage>;
beforeAll(async () => {
  core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
  lang = createLanguage(core.retriever, undefined, core.funding.programmes.map((p) => p.names));
});
afterAll(async () => core.cleanup());

function hitOf(id: string): Hit {
  const chunk = core.retriever.chunks.find((c) => c.meta.chunkId === id);
  if (!chunk) throw new Error(`no chunk ${id}`);
  return { chunk, score: 1, vectorSim: 0.5, lexicalScore: 1, coverage: core.retriever.coverage([], chunk) };
}
const judge = (question: string, id: string) => lang.answerability.judge(lang.answerability.analyse(question), hitOf(id), 1);

describe("answerability on the passage that would be shown", () => {
  it("blocks a passage without the kind of answer asked for", () => {
    // The Lotto foundation entry names no deadline.
    expect(judge("Bis wann muss man bei der Lotto-Stiftung den Antrag stellen?", "faq-lotto-stiftung").blocked).toContain("typeMissing");
    expect(judge("Was fördert die Lotto-Stiftung?", "faq-lotto-stiftung").blocked).toEqual([]);
  });

  it("judges a passage the same when it comes up again, and an edited passage by its own new text", () => {
    const q = "Bis wann muss man bei der Lotto-Stiftung den Antrag stellen?";
    const first = judge(q, "faq-lotto-stiftung");
    expect(judge(q, "faq-lotto-stiftung")).toEqual({ ...first, hit: expect.anything() });
    // The same entry after an edit (a new index brings new passage objects with the same id).
    const old = hitOf("faq-lotto-stiftung");
    const edited = { meta: old.chunk.meta, text: "Der Antrag muss bis zum 31. März gestellt werden.", searchText: old.chunk.searchText };
    const j = lang.answerability.judge(lang.answerability.analyse(q), { ...old, chunk: edited }, 1);
    expect(first.features.typeMissing).toBe(1);
    expect(j.features.typeMissing).toBe(0);
    expect(j.shown).toContain("31. März");
  });

  it("does not count a Gemeinde the knowledge never names as a term a passage must hold; one it names stays a term", () => {
    const nittel = lang.answerability.analyse("Sind Helfer bei einem Arbeitseinsatz der Gemeinde Nittel unfallversichert?");
    expect(nittel.unknown).toEqual([]);
    expect(nittel.terms).not.toContain("nittel");
    expect(nittel.places.map((p) => p.name)).toEqual(["Nittel"]);
    // Ayl's Dorfwettbewerb is in the knowledge: there the place is what the question is about.
    expect(lang.answerability.analyse("Was hat Ayl beim Dorfwettbewerb erreicht?").terms).toContain("ayl");
    // An unknown word that is no place still counts as unknown.
    expect(lang.answerability.analyse("Brauchen wir für den Glühweinstand eine Genehmigung?").unknown).toContain("gluhweinstand");
  });

  it("does not take a programme's other names as asked when the question uses only a name it shares with another", () => {
    // "Dorferneuerung" names both the communal and the private programme; only "private Dorferneuerung" tells the second.
    const shared = lang.answerability.analyse("Wer entscheidet bei der Dorferneuerung, welche Projekte angegangen werden?");
    expect(shared.programmes).toEqual([["dorferneuerung"], ["dorferneuerung"]]);
    expect(judge("Wer entscheidet bei der Dorferneuerung, welche Projekte angegangen werden?", "faq-dorferneuerung-grundlage").blocked).not.toContain("programmeAbsent");
    // A name that tells one programme still must be in the entry.
    expect(judge("Was fördert die LAG Erbeskopf?", "faq-leader-moselfranken-region").blocked).toContain("programmeAbsent");
  });

  it("reads a four-digit number before an amount or a count as no year (language/answerability.yaml, not_year_before)", () => {
    expect(lang.answerability.yearsIn("kost so 2000 euro, gibts da ne förderung")).toEqual([]);
    expect(lang.answerability.yearsIn("Wir haben 1990 Einwohner und 2000 € Budget. Was gab es 2021?")).toEqual([2021]);
    expect(lang.answerability.yearsIn("Was galt 2025 und was gilt ab 2026?")).toEqual([2025, 2026]);
    // A story's amount no longer makes every passage without that "year" the wrong one.
    const story = lang.answerability.analyse("Der Heimatverein will zwei Bänke aufstellen, das kostet 2000 Euro. Gibt es dafür eine einfache Förderung?");
    expect(story.years).toEqual([]);
  });

  it("counts the thing asked for as missing from the shown text only when the knowledge knows the word", () => {
    // "Mitglieder" is a word of the knowledge; the Kreisstiftung's entry does not say how many it has.
    const known = judge("Wie viele Mitglieder hat die Kreisstiftung Zukunft in Trier-Saarburg?", "faq-kreisstiftung-was-ist-das");
    expect(known.features.askedMissing).toBe(1);
    // A word no passage holds ("Stiftungskapital") lacks from every candidate alike: it does not tell one
    // passage from another, and often it is a typo or a filler the word check could not place.
    const ask = lang.answerability.analyse("Wie hoch ist das Stiftungskapital der Kreisstiftung Zukunft in Trier-Saarburg?");
    expect(ask.asked).toBe("stiftungskapital");
    expect(ask.unknown).toContain("stiftungskapital");
    expect(lang.answerability.judge(ask, hitOf("faq-kreisstiftung-was-ist-das"), 1).features.askedMissing).toBe(0);
  });

  it("tells the confidence model that a question came from dialect (its terms are a translation)", () => {
    const q = "Was fördert die Lotto-Stiftung?";
    const plain = lang.answerability.judge(lang.answerability.analyse(q), hitOf("faq-lotto-stiftung"), 1);
    const dialect = lang.answerability.judge(lang.answerability.analyse(q, "", true), hitOf("faq-lotto-stiftung"), 1);
    expect(plain.features.dialect).toBe(0);
    expect(dialect.features.dialect).toBe(1);
    expect({ ...dialect.features, dialect: 0 }).toEqual(plain.features);
  });

  it("finds the answer type anywhere in a FAQ answer (the direct answer often comes first)", () => {
    const j = judge("Wer zahlt, wenn sich jemand beim Rasenmähen für die Gemeinde verletzt?", "faq-unfall-helfer-arbeitseinsatz");
    expect(j.blocked).toEqual([]);
    expect(j.features.typeMissing).toBe(0);
  });

  it("blocks when only a 'not in our documents' sentence carries the question", () => {
    const j = judge("Wie viele Jahre muss man für die Jubiläums-Ehrenamtskarte dabei sein?", "faq-ehrenamtskarte-jubilaeum");
    expect(j.blocked.some((b) => b === "gapOnly" || b === "gapBest" || b === "typeMissing")).toBe(true);
  });

  it("blocks an entry that says it lacks the kind of answer asked for, but not one that only hedges a figure", () => {
    // "Förderhöhe und Antragsweg stehen nicht in unseren Unterlagen", although the entry names other sums.
    const lotto = judge("lotto stiftung höchstbetrag pro projekt", "faq-lotto-stiftung");
    expect(lotto.features.typeGap).toBe(1);
    expect(lotto.blocked).toContain("typeGap");
    // "Der Stand dieser Beträge ist unklar": the table is still the answer, with its caveat.
    const table = judge("Wie viel bekommt ein Ortsbürgermeister bei 400 Einwohnern?", "faq-aufwandsentschaedigung-hoehe-tabelle");
    expect(table.features.typeGap).toBe(0);
  });

  it("blocks an entry that never mentions the programme the question names", () => {
    const other = judge("Wie hoch ist der Höchstbetrag je Projekt bei der LAG Erbeskopf?", "faq-buergerprojekte-hoechstbetrag");
    expect(other.features.programmeAbsent).toBe(1);
    expect(other.blocked).toContain("programmeAbsent");
    const same = judge("Wie hoch ist der Höchstbetrag für Ehrenamtliche Bürgerprojekte?", "faq-buergerprojekte-hoechstbetrag");
    expect(same.features.programmeAbsent).toBe(0);
  });

  it("blocks a text that names only the other end of the scale asked about (language/answerability.yaml, opposites)", () => {
    // "die größte" does not answer "die kleinste"; the question for the largest is answered.
    const smallest = judge("Welche ist die kleinste Ortsgemeinde im Kreis?", "faq-groesste-ortsgemeinde-trierweiler");
    expect(smallest.features.oppositeShown).toBe(1);
    expect(smallest.blocked).toContain("oppositeShown");
    expect(judge("Welche ist die größte Ortsgemeinde im Kreis?", "faq-groesste-ortsgemeinde-trierweiler").features.oppositeShown).toBe(0);
    // The entry tells of the first Ehrenamtstag, not of the last one.
    expect(judge("Wann war der letzte Ehrenamtstag in Langsur?", "faq-bp-ehrenamtstag-langsur").features.oppositeShown).toBe(1);
    // "letztes Jahr" says when, not which one.
    expect(judge("Gab es letztes Jahr einen Ehrenamtstag in Langsur?", "faq-bp-ehrenamtstag-langsur").features.oppositeShown).toBe(0);
    // An ordinal: the text knows the first digital meeting, not the second.
    expect(judge("Wann war das zweite digitale Treffen der Ortsbürgermeister?", "faq-hse-digitales-treffen").features.oppositeShown).toBe(1);
    expect(judge("Wann war das erste digitale Treffen der Ortsbürgermeister?", "faq-hse-digitales-treffen").features.oppositeShown).toBe(0);
  });

  it("blocks a minimum asked where the text states only a maximum, not where it states both", () => {
    // "bis 75 %" is the Kreisstiftung's maximum; "Mindestens 20 %" the share a club pays itself.
    expect(judge("Wie viel übernimmt die Kreisstiftung höchstens?", "faq-kreisstiftung-foerderquote").features.oppositeShown).toBe(0);
    expect(judge("Wie viel muss der Verein bei der Kreisstiftung mindestens selbst zahlen?", "faq-kreisstiftung-foerderquote").features.oppositeShown).toBe(0);
  });

  it("blocks a count asked for the county when the text counts only for the whole Land", () => {
    const county = judge("Wie viele Dorferneuerungsvorhaben wurden 2020 im Landkreis Trier-Saarburg gefördert?", "faq-dorferneuerung-zahlen-2020");
    expect(county.features.scopeClash).toBe(1);
    expect(county.blocked).toContain("scopeClash");
    expect(judge("Wie viele Dorferneuerungsvorhaben hat Rheinland-Pfalz 2020 gefördert?", "faq-dorferneuerung-zahlen-2020").features.scopeClash).toBe(0);
    // Only counts and shares: who pays an amount is not a question of scope.
    expect(judge("Was ist die Dorferneuerung im Landkreis?", "faq-dorferneuerung-zahlen-2020").features.scopeClash).toBe(0);
  });

  it("marks an entry that speaks neither of the place the question names nor of its Verbandsgemeinde", () => {
    expect(judge("Gehört Nittel zur LAG Mosel?", "faq-leader-mosel-foehren-naurath-sommerau").features.placeAbsent).toBe(1);
    // Mertesdorf lies in the VG Ruwer, which the entry names (Sommerau, VG Ruwer).
    expect(judge("Gehört Mertesdorf zur LAG Mosel?", "faq-leader-mosel-foehren-naurath-sommerau").features.placeAbsent).toBe(0);
    // Sommerau is named in the entry; a question without a place is not affected.
    expect(judge("Gehört Sommerau zur LAG Mosel?", "faq-leader-mosel-foehren-naurath-sommerau").features.placeAbsent).toBe(0);
    expect(judge("Welche Orte gehören zur LAG Mosel?", "faq-leader-mosel-foehren-naurath-sommerau").features.placeAbsent).toBe(0);
  });

  it("reads a question of only a question word and the kind of answer as continuing the one before", () => {
    // "… nen Selbstbehalt? Wie hoch?": "hoch" names the kind of answer, not a topic of its own.
    expect(lang.understander.continues("wie hoch?")).toBe(true);
    expect(lang.understander.continues("Und bis wann?")).toBe(true);
    expect(lang.understander.continues("Wie hoch ist der Zuschuss für Vereinsprojekte bei der Kreisstiftung?")).toBe(false);
  });

  it("blocks every passage for a question that names only the kind of answer, unless a story around it names a topic", () => {
    // "Wie hoch ist" (a line cut off): every passage "covers" the word "hoch".
    expect(lang.answerability.analyse("Wie hoch ist").noTopic).toBe(true);
    expect(judge("Wie hoch ist", "faq-uebungsleiterpauschale").blocked).toContain("noTopic");
    expect(lang.answerability.analyse("Wie hoch ist die Übungsleiterpauschale?").noTopic).toBe(false);
    expect(judge("Wie hoch ist die Übungsleiterpauschale?", "faq-uebungsleiterpauschale").blocked).toEqual([]);
    // The story says what it is about.
    expect(lang.answerability.analyse("So ein Käse, oder?", "Der Musikverein macht Kirmes, die Gemeinde gibt 500 Euro dazu.").noTopic).toBe(false);
  });

  it("reads a first question without a topic of its own with the rest of the message", async () => {
    const plans = await core.planner.planMessage(["Wie lange geht das eigentlich?", "Für wie viele Jahre wird ein Ortsbürgermeister gewählt?"], "", undefined, () => false);
    expect(plans[0].candidates.some((c) => !c.blocked.length)).toBe(true);
    const alone = await core.planner.planMessage(["Wie lange geht das eigentlich?"], "", undefined, () => false);
    expect(alone[0].candidates.every((c) => c.blocked.includes("noTopic"))).toBe(true);
  });

  it("tells programmes apart by their whole, telling names", () => {
    // "LAG Mosel" is not named in "LAG Moselfranken"; "LEADER" names several programmes and proves nothing.
    const ask = lang.answerability.analyse("Wer ist Vorsitzender der LAG Moselfranken?");
    expect(ask.programmes.flat()).not.toContain("lag mosel");
    const erbeskopf = lang.answerability.judge(ask, hitOf("faq-leader-erbeskopf-budget"), 1);
    expect(erbeskopf.features.programmeAbsent).toBe(1);
    expect(lang.answerability.judge(ask, hitOf("faq-leader-moselfranken-kontakt"), 1).features.programmeAbsent).toBe(0);
  });

  it("reads 'naechste' typed without umlauts as a question about the next date", () => {
    expect(lang.answerability.analyse("wann ist die naechste bewerbungsfrist fur den brueckenpreis").future).toBe(true);
  });

  it("a complaint with 'schon wieder ein …' is no question about the future; 'neue Runde' is", () => {
    expect(lang.answerability.analyse("boah schon wieder ein formular. wie lang gilt die ehrenamtskarte eigentlich").future).toBe(false);
    expect(lang.answerability.analyse("Darf die Gemeinde selber einen Antrag stellen, oder ist das wieder so ein Papiertiger?").future).toBe(false);
    expect(lang.answerability.analyse("Gibt es eine neue Runde beim Regionalbudget?").future).toBe(true);
  });

  it("reads 'nächsten Samstag' as when the mayor's plan happens, not as a question about the future (future_near_units)", () => {
    const a = (q: string) => lang.answerability.analyse(q).future;
    expect(a("Wir machen nächsten Samstag einen Arbeitseinsatz am Friedhof. Sind die Helfer unfallversichert?")).toBe(false);
    expect(a("Zwei Ratsmitglieder fahren nächste Woche zu einer Fortbildung. Sind sie versichert?")).toBe(false);
    expect(a("naechsten samstag ist dreck weg tag, sind die leute versichert")).toBe(false);
    expect(a("Gibt es nächstes Jahr wieder einen LEADER-Aufruf?")).toBe(true);
    expect(a("Wann ist die nächste Frist beim Regionalbudget?")).toBe(true);
    // A second marker that is about the future still counts.
    expect(a("Nächste Woche tagt der Rat: gibt es die nächste Runde beim Regionalbudget?")).toBe(true);
    const helpers = judge("Wir machen nächsten Samstag einen Arbeitseinsatz am Friedhof. Sind die Helfer unfallversichert?", "faq-arbeitseinsatz-spielplatz-gruenpflege");
    expect(helpers.blocked).not.toContain("futureClash");
    // Its "Ja, wenn …" without the "Ja" (another wording of the question) reads as a sentence (condition_leads).
    expect(helpers.features.yesNoDropped).toBe(1);
    expect(helpers.shown).toMatch(/^Das gilt, wenn die Ortsgemeinde/);
  });

  it("checks a question read with the one before it on its own when it names two words the knowledge never saw", () => {
    const ask = (q: string) => lang.answerability.analyse(q);
    const own = "Und wann wird bei uns das Neubaugebiet erschlossen?";
    expect(lang.answerability.unknownOwnWords(own, ask(`Wie hoch ist die Ehrenamtspauschale? ${own}`))).toBe(true);
    // One such word asks about what the passage before says ("Vorschrift" is a word the knowledge does not use).
    const one = "Ist das Vorschrift?";
    expect(lang.answerability.unknownOwnWords(one, ask(`Muss ich beim Arbeitseinsatz eine Helferliste führen? ${one}`))).toBe(false);
  });

  it("blocks a question about the next date when the passage knows only past ones", () => {
    const j = judge("Wann ist die nächste Bewerbungsfrist für den Brückenpreis?", "faq-brueckenpreis-preis-frist");
    expect(j.features.futureClash + j.features.typeMissing).toBeGreaterThan(0);
    expect(j.blocked.length).toBeGreaterThan(0);
  });

  it("blocks a passage that lacks a year the question names", () => {
    expect(judge("Was hat die Kreisstiftung 2019 bezuschusst?", "faq-kreisstiftung-rettungsschirm-2021").blocked).toContain("yearMissing");
    // "(Stand 2024)" dates the passage's figures; it does not say what the foundation paid out in 2024.
    expect(judge("Wie viel Geld hat die Kreisstiftung 2024 an Vereine ausgeschüttet?", "faq-kreisstiftung-rettungsschirm-2021").blocked).toContain("yearMissing");
    expect(judge("Wie viel Geld bekamen Vereine 2021 von der Kreisstiftung?", "faq-kreisstiftung-rettungsschirm-2021").blocked).not.toContain("yearMissing");
  });

  it("shows a FAQ's leading 'Nein.' only when its own question asks the same", () => {
    const other = judge("Wer entscheidet über die Bewilligung bei der Aktion Mensch?", "faq-aktion-mensch-wer");
    expect(other.features.yesNoDropped).toBe(1);
    expect(other.shown).not.toMatch(/^Nein/);
    const same = judge("Kann unsere Gemeinde bei der Aktion Mensch Förderung beantragen?", "faq-aktion-mensch-wer");
    expect(same.features.yesNoDropped).toBe(0);
    expect(same.shown).toMatch(/^Nein, Kommunen nicht\./);
  });

  it("leaves out a FAQ's 'Nein.' when the mayor asks it for someone else (language/answerability.yaml, actors)", () => {
    // "Kann unsere Ortsgemeinde bei der DSEE Geld beantragen?" – "Nein." is wrong for a Verein; the rest says who may.
    const verein = judge("Kann ein Verein bei der DSEE einen Antrag stellen?", "faq-dsee-ortsgemeinde-antrag");
    expect(verein.features.actorClash).toBe(1);
    expect(verein.features.yesNoDropped).toBe(1);
    expect(verein.shown).toMatch(/^Antragsberechtigt sind nur gemeinnützige/);
    const gemeinde = judge("Darf eine Gemeinde bei der DSEE Geld beantragen?", "faq-dsee-ortsgemeinde-antrag");
    expect(gemeinde.features.actorClash).toBe(0);
    expect(gemeinde.shown).toMatch(/^Nein\./);
    // Naming both keeps the entry's actor in play: no clash.
    expect(judge("Kann der Verein für unsere Gemeinde bei der DSEE beantragen?", "faq-dsee-ortsgemeinde-antrag").features.actorClash).toBe(0);
    // A question that names nobody is asked for the entry's actor.
    expect(judge("Kann man bei der DSEE Geld beantragen?", "faq-dsee-ortsgemeinde-antrag").features.actorClash).toBe(0);
  });

  it("tells the actors of a text apart by whole words (language/answerability.yaml, actors)", () => {
    const a = (t: string) => lang.answerability.actorsIn(t);
    expect(a("Wie viel bekommt ein Ortsvorsteher?")).toEqual(["ortsvorsteher"]);
    expect(a("Wie viel bekommt die Ortsbürgermeisterin?")).toEqual(["ortsbuergermeister"]);
    expect(a("Kann unser Förderverein das beantragen?")).toEqual(["verein"]);
    expect(a("Ist die Vereinbarung gültig?")).toEqual([]);
    expect(a("Sind unsere Ratsmitglieder versichert?")).toEqual(["ratsmitglied"]);
    expect(a("Gilt das für die Kirchengemeinde?")).toEqual(["kirche"]);
    expect(a("Sind Ehrenamtliche versichert?")).toEqual([]);
    expect(a("Sind die Helferinnen beim Dorffest versichert?")).toEqual(["helfer"]);
  });

  it("treats a hedged verdict lead ('In der Regel nicht.') like 'Ja.'/'Nein.'", () => {
    // "In der Regel nicht." answers whether club members are covered; for a group that is not a club it misleads.
    const other = judge("Wer versichert unsere Strickgruppe, die ist kein Verein?", "faq-sammelversicherung-vereine");
    expect(other.features.yesNoDropped).toBe(1);
    expect(other.shown).toMatch(/^Vereine, Verbände/);
    const same = judge("Sind Vereinsmitglieder über die Sammelversicherung des Landes versichert?", "faq-sammelversicherung-vereine");
    expect(same.features.yesNoDropped).toBe(0);
    expect(same.shown).toMatch(/^In der Regel nicht\./);
  });

  it("reads only unqualified verdicts as a lead (language/answerability.yaml, verdict_hedges)", () => {
    const lead = verdictLead(loadLanguageData().answerability);
    for (const s of ["Ja, in Grenzen.", "Nein. Antragsberechtigt sind …", "In der Regel nicht. Vereine …", "Nicht automatisch. Zuschüsse …", "Oft ja. Eine …", "Grundsätzlich ja: Die …", "Nicht unbedingt. Das SG …"]) {
      expect(s, s).toMatch(lead);
    }
    // A condition is part of the answer; a list or a sentence that only starts with "nicht" is no verdict.
    for (const s of ["Für dieselbe Tätigkeit nicht – die beiden …", "In der Regel ja, wenn Sie die Gemeinde vertreten.", "Nicht versichert sind: private Umwege …", "Nicht nur Vereine können …", "Jahrelang war das so."]) {
      expect(s, s).not.toMatch(lead);
    }
  });

  it("does not count swear words as terms of a rude but real question", () => {
    const rude = lang.answerability.analyse("Was soll der Bürokratiemist, verdammt – darf die Gemeinde bei der DSEE beantragen?");
    expect(rude.terms).not.toContain("burokratiemist");
    expect(rude.terms).not.toContain("verdammt");
    expect(rude.unknown).toEqual([]);
    expect(rude.terms).toContain("dsee");
    // The rant's names for people and things are no more the point than its swear words.
    const rant = lang.answerability.analyse("Mann Mann Mann, wen ruf ich bei der LAG an, und zwar zackig, oder bin ich wieder der Depp?");
    expect(rant.terms).not.toContain("zackig");
    expect(rant.terms).not.toContain("depp");
    expect(rant.terms).toContain("lag");
  });

  it("reads a question that points back with the story before it, not with the rant after it", () => {
    const u = lang.understander.understand("Ehrenamtspauschale. Wieviel ist das jetzt pro Jahr? Ihr dreht da ja eh dauernd dran rum, kein normaler Mensch blickt da noch durch");
    expect(u.kind).toBe("question");
    if (u.kind !== "question") return;
    expect(u.storyBefore).toBe("Ehrenamtspauschale.");
    expect(u.context).toContain("dauernd");
  });

  it("counts words the knowledge has never seen, but not typos of known words", () => {
    expect(lang.answerability.analyse("Muss die Kirmes-Musik zur GEMA?").unknown).toContain("gema");
    expect(lang.answerability.analyse("Wie hoch ist die Ehrenamtspauschle?").unknown).toEqual([]);
    // In a dialect message an unknown word spelled the dialect way is an untranslated dialect word, not a
    // term the knowledge lacks; one in standard spelling still is.
    const dialect = lang.answerability.analyse("Brauche mer fir d'Kirmes eng Ausschankgenehmigung, wann ee sisch drëm këmmert?", "", true);
    expect(dialect.terms).not.toContain("sisch");
    expect(dialect.unknown).toContain("ausschankgenehm");
    expect(lang.answerability.analyse("Brauche mer fir d'Kirmes eng Ausschankgenehmigung, wann ee sisch drëm këmmert?").unknown).toContain("sisch");
    // A question read with the story it points back to: a word of the story the knowledge has never seen is
    // narrative, one in the question itself is the point.
    const story = "Meine Schwiegertochter spielt Querflöte im Musikverein.";
    const withStory = lang.answerability.analyse(`${story} Gibt es dafür Geld aus der Ehrenamtspauschale?`, "", false, "Gibt es dafür Geld aus der Ehrenamtspauschale?");
    expect(withStory.terms).not.toContain("qurflot");
    const asked = lang.answerability.analyse(`${story} Zählt Querflöte dafür?`, "", false, "Zählt Querflöte dafür?");
    expect(asked.unknown).toContain("qurflot");
  });

  it("takes a newsletter section's sentences that carry the question, not the whole section", () => {
    const chunk = core.retriever.chunks.find((c) => c.meta.kind === "newsletter" && /Mitfahrbank/.test(c.text))!;
    const j = lang.answerability.judge(lang.answerability.analyse("Wo steht die Mitfahrbank?"), { chunk, score: 1, vectorSim: 0.5, lexicalScore: 1, coverage: 1 }, 1);
    expect(j.shown.length).toBeLessThanOrEqual(chunk.text.length);
    expect(j.shown).toMatch(/Mitfahrbank/);
  });
});
