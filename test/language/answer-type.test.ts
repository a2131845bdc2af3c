import { describe, expect, it } from "vitest";
import { loadLanguageData } from "../../src/language/resources.js";
import { AnswerTypes } from "../../src/language/answer-type.js";

const data = loadLanguageData();
const types = new AnswerTypes(data.answerTypes, data.firstNames);

describe("answer types (language/answer-types.yaml)", () => {
  it.each([
    ["Wie hoch ist die Ehrenamtspauschale?", "amount"],
    ["wieviel geld gibts da", "amount"],
    ["Wie hoch ist die Foerderquote der Kreisstiftung?", "percent"],
    ["Bis wann muss der Projektsteckbrief eingereicht sein?", "deadline"],
    ["Seit wann gibt es die Ehrenamtskarte?", "since"],
    ["Wann wurde die DSEE gegründet?", "since"],
    ["In welchem Jahr startete das Projekt?", "since"],
    ["Ab wann bekommt man die Ehrenamtskarte?", "date"],
    ["Wann ist die Verleihung?", "date"],
    ["Wie lange dauert eine Dorfmoderation?", "duration"],
    ["Ab welchem Alter bekommt man die Ehrenamtskarte?", "age"],
    ["Wie viele Bürgerbusse fahren in Rheinland-Pfalz?", "count"],
    // inflected: "wie vielen" after a preposition
    ["Ab wie vielen Mitgliedern kann ein Verein das beantragen?", "count"],
    ["In wie vielen Gemeinden fährt ein Bürgerbus?", "count"],
    ["Nach wie vielen Jahren gibt es die Jubiläumskarte?", "duration"],
    ["Seit wie vielen Monaten läuft das Programm?", "duration"],
    // one end of a sum's scale, and compounds with a sum as their head
    ["Was ist bei der Aktion Mensch der kleinste Zuschuss?", "amount"],
    ["Gibt es einen Mindestbetrag?", "amount"],
    ["Wie viel muss der Verein mindestens selbst zahlen?", "amount"],
    ["Wie ist die Telefonnummer der LAG Moselfranken?", "phone"],
    ["Welche E-Mail-Adresse hat die Leitstelle?", "email"],
    ["Wie ist die Anschrift der Kreisverwaltung?", "address"],
    ["Wie erreiche ich die LAG Moselfranken?", "contact"],
    ["Wer ist Geschäftsführer der LAG Erbeskopf?", "person"],
    ["Bei welchem Versicherungsunternehmen läuft die Sammelversicherung?", "person"],
    ["Wofür steht LEADER?", "expansion"],
    ["Wer entscheidet über die Bewilligung bei der Aktion Mensch?", "decider"],
    ["Wer übernimmt die Kosten, wenn ein Helfer sich verletzt?", "payer"],
    ["Wie beantrage ich Geld bei der Kreisstiftung?", "procedure"],
    ["Wie kann sich unser Verein um Geld aus dem Zweckertrag der Sparkasse in unserem Landkreis bewerben?", "procedure"],
    ["Wer verhängt das Ordnungsgeld?", "decider"],
    ["Welches Formular brauche ich für die Ehrenamtskarte?", "form"],
    // the verb first after "wo": asks for the office, not for a place
    ["Wo beantrage ich die Ehrenamtskarte?", "agency"],
    ["wo meldet man sich da", "agency"],
    ["Warum fördert die Aktion Mensch keine Kommunen?", "reason"],
    ["Gibt es Geld für Mitfahrbänke?", "yesno"],
    // "wie viel" before a noun or verb no pattern names: some figure; "wie oft": a rhythm or period
    ["Wie viel Aufwandsentschädigung bekommt ein Ortsvorsteher?", "quantity"],
    ["wie viel hat die kreisstiftung in corona den vereinen gegeben", "quantity"],
    ["Wie oft kommt der Newsletter?", "frequency"],
    ["Was hat der Ehrenamtstag in Langsur gekostet?", "amount"],
  ])("%s → %s", (q, want) => {
    expect(types.detect(q)[0]).toBe(want);
  });

  it("asks for the office where something is handed in, besides the place", () => {
    expect(types.detect("Wo reich ich den Antrag ein?")).toEqual(["place", "agency"]);
  });

  it("asks for some figure after a bare 'wie viel' only when no more specific kind is asked for", () => {
    expect(types.detect("Wie viel Geld gibt es?")).toEqual(["amount"]);
    expect(types.detect("Wie viele Jahre gilt die Karte?")).toEqual(["duration"]);
    expect(types.detect("Um wie viel Uhr fährt der Bürgerbus?")).not.toContain("quantity");
    expect(types.hasEvidence("quantity", "Sie bekommen 1.031 € im Monat.")).toBe(true);
    expect(types.hasEvidence("quantity", "Das regelt § 12 KomAEVO.")).toBe(false);
    expect(types.hasEvidence("frequency", "Der Newsletter erscheint monatlich.")).toBe(true);
    expect(types.hasEvidence("frequency", "Ortsbürgermeister werden für fünf Jahre gewählt.")).toBe(true);
    expect(types.hasEvidence("frequency", "Das Projekt startete im Januar 2020.")).toBe(false);
  });

  it("wants a date tied to a beginning for 'seit wann', not any date the passage gives", () => {
    // "seit wann" asks for the beginning only; the plain date type steps back.
    expect(types.detect("Seit welchem Jahr wird der Brückenpreis verliehen?")).toEqual(["since"]);
    expect(types.hasEvidence("since", "Die Stiftung besteht seit 2007.")).toBe(true);
    expect(types.hasEvidence("since", "Der Ministerrat hat sie am 29. April 2014 beschlossen.")).toBe(true);
    expect(types.hasEvidence("since", "Die VG Saarburg-Kell entstand am 1. Januar 2019 durch Fusion.")).toBe(true);
    expect(types.hasEvidence("since", "Am 18. Juni 2016 eröffnete ein Dorfladen.")).toBe(true);
    // This year's deadline and the day of the award say nothing about when the prize began.
    expect(types.hasEvidence("since", "2024 lief die Bewerbungsfrist bis 16. September 2024.")).toBe(false);
    expect(types.hasEvidence("since", "Die Verleihung war am 7. Dezember 2024.")).toBe(false);
  });

  it("reads costs someone covers and appointments as what the question is about, not as an amount or a date asked for", () => {
    // Whether the costs are covered, not how high they are.
    expect(types.detect("Bekommt ein Ratsmitglied die Kosten für den Babysitter ersetzt?")).toEqual(["yesno"]);
    expect(types.detect("Übernimmt die Gemeinde die Kosten für die Verpflegung?")).toEqual(["yesno"]);
    expect(types.detect("Werden die Kosten für die Fahrt erstattet?")).toEqual(["yesno"]);
    expect(types.detect("Wie hoch sind die Kosten für eine Dorfmoderation?")).toContain("amount");
    expect(types.detect("Welche Kosten hat der Verein?")).toContain("amount");
    // "für Termine": appointments; "einen Termin": a date.
    expect(types.detect("Ersetzt die Gemeinde meinen Lohnausfall, wenn ich für Termine freinehme?")).not.toContain("date");
    expect(types.detect("Sind Ratsmitglieder bei offiziellen Terminen versichert?")).not.toContain("date");
    expect(types.detect("Gibt es schon einen Termin für den Ehrenamtstag?")).toContain("date");
  });

  it("reads a question that starts with its verb as yes or no, also in the first person and the conditional", () => {
    for (const q of ["Bekomme ich die Kosten erstattet?", "Brauche ich dafür eine Genehmigung?", "Wäre es möglich, das zu verschieben?", "Könnte unser Verein das beantragen?", "Habe ich Anspruch auf Verdienstausfall?"]) {
      expect(types.detect(q), q).toContain("yesno");
    }
    expect(types.detect("Wer bekommt die Ehrenamtskarte?")).not.toContain("yesno");
  });

  it("reads 'im Namen der Gemeinde' as on behalf of, not as a question for a name", () => {
    expect(types.detect("Wenn ich die Helfer im Namen der Gemeinde beauftrage, sind sie dann versichert?")).not.toContain("person");
    expect(types.detect("Wie ist der Name des Geschäftsführers der LAG?")).toContain("person");
  });

  it("takes a vaguer kind as agreeing with the specific one it yields to, not with any other", () => {
    expect(types.compatible("quantity", "amount")).toBe(true);
    expect(types.compatible("amount", "quantity")).toBe(true);
    expect(types.compatible("count", "duration")).toBe(true);
    expect(types.compatible("quantity", "phone")).toBe(false);
    expect(types.compatible("amount", "count")).toBe(false);
  });

  it("needs the kind of contact asked for: an e-mail address is not answered by a phone number", () => {
    expect(types.hasEvidence("email", "Telefon: 06581/81-165, E-Mail: lag-moselfranken@saarburg-kell.de")).toBe(true);
    expect(types.hasEvidence("email", "Telefon: 06581/81-165")).toBe(false);
    expect(types.hasEvidence("phone", "E-Mail: lag-moselfranken@saarburg-kell.de")).toBe(false);
    expect(types.detect("Welche E-Mail-Adresse hat sie?")).not.toContain("address");
  });

  it("finds every kind asked for in a coordinated question, also an elliptic one at its end", () => {
    expect(types.detect("Kriegt der Verein da von der Lotto-Stiftung was dazu, und wie viel?")).toEqual(["amount", "yesno"]);
    expect(types.detect("wieviel denn?")).toContain("amount");
    // "wie viele" counts, and "wie viel" inside a sentence needs its own pattern.
    expect(types.detect("Wie viele Gemeinden sind es?")).not.toContain("amount");
    // A grant asked about without a figure is a yes/no question, not one for an amount.
    expect(types.detect("Gibt es einen Zuschuss für Dorfläden?")).not.toContain("amount");
  });

  it("takes the words that only name the kind of answer out of the key terms", () => {
    expect(types.analyse("Wie hoch ist die Ehrenamtspauschale?").typeWords).toContain("hoch");
    expect(types.analyse("Bis wann läuft die Frist?").typeWords).toContain("frist");
    // The role asked about stays a key term: "Geschäftsführer" is not "Vorsitzender".
    expect(types.analyse("Wer ist Geschäftsführer der LAG?").typeWords).not.toContain("geschäftsführer");
  });

  it("finds evidence of each kind of answer, and not where there is none", () => {
    expect(types.hasEvidence("amount", "Die Pauschale beträgt 840 Euro im Jahr.")).toBe(true);
    // "Which form" needs a form or document named; that an application exists does not say which one.
    expect(types.hasEvidence("form", "Das Antragsformular lässt man vom Verein bestätigen.")).toBe(true);
    expect(types.hasEvidence("form", "Der Antrag geht an die ADD, jeweils bis 30. April.")).toBe(false);
    expect(types.hasEvidence("amount", "Die Beratung ist kostenlos.")).toBe(true);
    expect(types.hasEvidence("amount", "Die Ehrenamtskarte ist eine Anerkennung des Landes.")).toBe(false);
    expect(types.hasEvidence("contact", "Telefon 06581/81-165, lag-moselfranken@saarburg-kell.de")).toBe(true);
    expect(types.hasEvidence("contact", "Fragen Sie bei Ihrer Verbandsgemeinde nach.")).toBe(false);
    expect(types.hasEvidence("person", "Geschäftsführer ist Matthias Faß.")).toBe(true);
    expect(types.hasEvidence("person", "Die Landes-Sammelversicherung greift nachrangig.")).toBe(false);
    expect(types.hasEvidence("deadline", "Einreichung bis zum 1. April 2026.")).toBe(true);
    expect(types.hasEvidence("deadline", "Die Stiftung wurde 2007 gegründet.")).toBe(false);
    expect(types.hasEvidence("deadline", "Mikroförderung bis 2.500 Euro, 10 % Eigenanteil.")).toBe(false);
    expect(types.hasEvidence("deadline", "Anträge fortlaufend bis 15. Oktober 2025.")).toBe(true);
    expect(types.hasEvidence("deadline", "Bewerbung bis zum 30.04. beim Kreis.")).toBe(true);
    // A time word answers "bis wann" only about applying or reporting (user test: "und bis wann?" after the DSEE
    // answer got "jährlich rund 30 Mio. Euro").
    expect(types.hasEvidence("deadline", "Sie erhält jährlich rund 30 Mio. Euro von drei Bundesministerien.")).toBe(false);
    expect(types.hasEvidence("deadline", "Helfer innerhalb des Kreises sind versichert.")).toBe(false);
    expect(types.hasEvidence("deadline", "Anträge sind laufend möglich.")).toBe(true);
    expect(types.hasEvidence("deadline", "Die Veranstaltung muss vorher beim Ordnungsamt angemeldet werden.")).toBe(true);
    expect(types.hasEvidence("deadline", "Eine feste Frist gibt es nicht, Sie können jederzeit einen Antrag stellen.")).toBe(true);
    expect(types.hasEvidence("deadline", "Es gibt keine Frist.")).toBe(true);
    expect(types.hasEvidence("age", "mindestens 14 Jahre alt")).toBe(true);
  });

  it("does not read a law's paragraph number as a count", () => {
    expect(types.hasEvidence("count", "Die Verwaltung berät Sie (§ 64 GemO).")).toBe(false);
    expect(types.hasEvidence("count", "§ 2 Abs. 1 Nr. 10a SGB VII")).toBe(false);
    expect(types.hasEvidence("count", "Der Kreis hat sechs Verbandsgemeinden und 104 Gemeinden.")).toBe(true);
  });

  it("sees whether a sentence names a kind of answer, also as the head of a compound", () => {
    expect(types.namesType("amount", "Förderhöhe und Antragsweg stehen nicht in unseren Unterlagen.")).toBe(true);
    expect(types.namesType("contact", "Eine Telefonnummer wird nicht genannt.")).toBe(true);
    expect(types.namesType("deadline", "Die Bewerbungsfrist 2027 ist nicht bekannt.")).toBe(true);
    expect(types.namesType("amount", "Der Ansprechpartner ist nicht bekannt.")).toBe(false);
    expect(types.namesType("deadline", "Die Telefonnummer wird nicht genannt.")).toBe(false);
  });

  it("matches words with umlauts at word boundaries", () => {
    expect(types.detect("Wer übernimmt das?")).toContain("payer");
    expect(types.hasEvidence("payer", "Die Kosten übernimmt die Kommune.")).toBe(true);
  });

  it("knows a request for all items of a list, and a list given only as examples", () => {
    for (const q of [
      "Welche Gemeinden gehören alle zur VG Ruwer?",
      "Zählen Sie bitte alle Voraussetzungen auf.",
      "Gibt es eine vollständige Liste der förderfähigen Maßnahmen?",
      "Wir planen ein Fest. Was müssen wir alles anmelden?",
      "wer sitzt da alles im beirat",
      "Wo gibt es die überall im Kreis?",
      "Bitte alle Stiftungen aufzählen, die Vereine fördern.",
      "Welche Büros machen Dorfmoderation? Gibt's da ne Liste?",
      "Habt ihr eine Übersicht der Mitfahrbänke im Kreis?",
      "Welche 27 Projekte hat die Provinzial gefördert?",
      "Welche der rund 165 Projekte sind bei uns im Kreis?",
      "Welche Projekte hat die Kreisstiftung gefördert? Bitte alle.",
      "Welche Projekte gab es? Alle bitte, nicht nur Beispiele.",
    ]) expect(types.detect(q), q).toContain("full_list");
    for (const q of [
      "Gilt das für alle Vereine?",
      "Welche Regeln gelten für alle Vereine im Dorf?",
      "Muss ich notieren, wer alles beim Arbeitseinsatz dabei war?",
      "Wird die Förderung vollständig ausgezahlt?",
      "Welche Förderprogramme gibt es für Dorfläden?",
      "Muss ich eine Liste der Helfer führen?",
      "Wo gibt es die Helferliste als Vorlage?",
      "In welchen zwei Jahren gab es den Zuschuss?",
      "Welche 2 Jahre zählen für die Ehrenamtskarte?",
      "Sind alle Helfer versichert?",
      "Alle Helfer sind versichert, oder?",
      "Was wurde da gefördert? Nur ein paar Beispiele, keine ganze Liste.",
    ]) expect(types.detect(q), q).not.toContain("full_list");
    expect(types.hasEvidence("full_list", "Voraussetzungen sind ein Wohnsitz im Land, fünf Stunden pro Woche und zwei Jahre Tätigkeit.")).toBe(true);
    expect(types.hasEvidence("full_list", "Gefördert werden z. B. Spielplätze und Dorffeste.")).toBe(false);
    expect(types.hasEvidence("full_list", "Dazu gehören unter anderem Trittenheim und Klüsserath.")).toBe(false);
    expect(types.hasEvidence("full_list", "Beispiele sind der Bürgerbus und der Dorfladen.")).toBe(false);
    // Its evidence is the whole text's: no sentence of it is shown first for holding "the" answer.
    expect(types.locatesAnswer("full_list")).toBe(false);
    expect(types.locatesAnswer("amount")).toBe(true);
    // Examples in the best passage rule out a "complete" list further down; a missing sum does not.
    expect(types.excludesBelow("full_list")).toBe(true);
    expect(types.excludesBelow("amount")).toBe(false);
  });
});
