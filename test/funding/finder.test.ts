import { MSG } from "../../src/core/messages.js";
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FundingFinder, deadlineOf } from "../../src/funding/finder.js";
import { loadProgrammes, ProgrammeError, type Programme } from "../../src/funding/programmes.js";
import { Purposes } from "../../src/funding/purposes.js";
import { describeFunding } from "../../src/funding/describe.js";
import { Places } from "../../src/language/places.js";
import { loadLanguageData } from "../../src/language/resources.js";
import { tempDir } from "../support/temp.js";

const purposes = new Purposes();
const programmes = loadProgrammes("knowledge", purposes.ids);
const finder = new FundingFinder(programmes, purposes);
const TODAY = new Date(2026, 11, 1); // 1 December 2026

describe("Förder-Finder: which programmes fit a purpose (knowledge/programmes, language/purposes.yaml)", () => {
  it("has the county's programmes, each valid against the schema", () => {
    expect(programmes.length).toBeGreaterThanOrEqual(15);
  });

  // Ten ways mayors ask for money for something; the expected programmes come from the entries' data.
  it.each([
    ["Wer fördert Mitfahrbänke?", "mobilitaet"],
    ["Gibt es Geld für einen Dorftreff?", "treffpunkt"],
    ["Zuschuss für unser Dorffest?", "dorffest"],
    ["Förderung Dorfladen", "nahversorgung"],
    ["Woher bekommen wir Geld für die Jugendarbeit im Dorf?", "jugend"],
    ["Gibt es Fördermittel für barrierefreie Angebote bei uns?", "inklusion"],
    ["Wir wollen mit den Nachbardörfern zusammenarbeiten – gibt es dafür Fördergeld?", "zusammenarbeit"],
    ["geld für nachbarschaftshilfe für senioren", "senioren"],
    ["Zuschuss für Pflegebedürftige?", "senioren"],
    ["Gibt es einen Zuschuss für den Schnitt von unseren Streuobstbäumen?", "umwelt"],
    ["Wer fördert die Sanierung vom Dorfgemeinschaftshaus?", "treffpunkt"],
    ["Unser Heimatverein sucht Zuschüsse für neue Trachten", "kultur"],
    ["Können wir die Digitalisierung im Verein fördern lassen?", "digital"],
  ])("%s → programmes for %s", (question, purpose) => {
    const s = finder.search(question, TODAY);
    expect(s, "a search for funding").toBeDefined();
    expect(s!.purposes).toContain(purpose);
    expect(s!.matches.length).toBeGreaterThan(0);
    const open = (p: Programme) => !s!.applicant || !p.applicants.length || p.applicants.includes(s!.applicant);
    // Every programme listed funds an asked purpose, by its entry …
    for (const m of s!.matches) expect(m.programme.purposes.some((x) => s!.purposes.includes(x)), m.programme.id).toBe(true);
    // … and when few programmes fund it, all of them are there.
    const all = programmes.filter((p) => p.purposes.includes(purpose) && open(p)).map((p) => p.id);
    if (all.length <= 2 && s!.purposes.length === 1) expect(s!.matches.map((m) => m.programme.id).sort()).toEqual(all.sort());
  });

  it.each([
    "Wer zahlt, wenn sich ein Helfer beim Arbeitseinsatz verletzt?",
    "Was ist LEADER?",
    "Wie viel gibt die Kreisstiftung für ein Jugendprojekt?",
    "Wir geben dem Musikverein 300 Euro Zuschuss – sind die Helfer dann bei uns versichert?",
    "Darf ich meine Aufwandsentschädigung dem Förderverein vom Kindergarten spenden?",
    // The purpose is the solar panel, not the building it stands on: no programme names it.
    "Gibt es Zuschüsse für eine Solaranlage auf dem Dach vom Bürgerhaus?",
    // "Sanierung" names the kind of work, not what it is for: the fire station's is no village renewal.
    "Unser Feuerwehrgerätehaus ist marode. Gibts da irgendwo Zuschüsse für die Sanierung?",
    // What is funded is the verb's object (a vehicle, which no programme names), not whom it is for.
    "Wer bezuschusst einen neuen Mannschaftswagen für die Jugendfeuerwehr?",
    "Gibt es Geld für eine neue Heizung für das Vereinsheim vom Heimatverein?",
  ])("%s → not a search for funding", (question) => {
    expect(finder.search(question, TODAY)).toBeUndefined();
  });

  it("asks who applies only when it narrows the list, and narrows by the entries' applicants", () => {
    const s = finder.search("Wer fördert Mitfahrbänke?", TODAY)!;
    expect(s.askApplicant.length).toBeGreaterThan(1);
    const verein = finder.match(s.purposes, "verein", TODAY);
    expect(verein.askApplicant).toEqual([]);
    for (const m of verein.matches) expect(m.programme.applicants.length === 0 || m.programme.applicants.includes("verein")).toBe(true);
    expect(verein.matches.map((m) => m.programme.id)).not.toContain("landmobil-buergerbus");
  });

  it("puts the programmes built on the entry the question is about first among those for the same purpose", () => {
    const plain = finder.search("Gibt es Geld für eine Mitfahrbank?", TODAY)!.matches.map((m) => m.programme.id);
    // The Bürgerbus grant pays per Bürgerbus project: no Mitfahrbank (purpose "buergerbus", not "mobilitaet").
    expect(plain).not.toContain("landmobil-buergerbus");
    expect(plain).toContain("regionalbudget");
    // A message that names the Bürgerbus reads both purposes (a question naming the grant itself is answered from its entries).
    expect(purposes.read("Wer fördert einen Bürgerbus für unsere Senioren?").purposes).toEqual(expect.arrayContaining(["mobilitaet", "buergerbus"]));
    const bus = finder.match(["mobilitaet", "buergerbus"], undefined, TODAY).matches.map((m) => m.programme.id);
    expect(bus).toContain("landmobil-buergerbus");
    expect(bus).toContain("leader-buergerprojekte");
    // The Mitfahrbank entry is the likeliest subject; a newsletter on mobility (a source of the Bürgerbus grant too)
    // comes after it and does not count.
    const about = finder.search("Gibt es Geld für eine Mitfahrbank?", TODAY, undefined, "", ["faq-mitfahrbank", "faq-mitfahrbank-foerderung", "nl-2021-06"])!;
    const ids = about.matches.map((m) => m.programme.id);
    expect(ids.slice(0, 2).sort()).toEqual(["leader-buergerprojekte", "regionalbudget"]);
    expect(about.about).toEqual(["faq-mitfahrbank", "faq-mitfahrbank-foerderung", "nl-2021-06"]);
    // Kept for the follow-up "who applies": the narrowed list keeps that order.
    const verein = finder.match(about.purposes, "verein", TODAY, [], about.about).matches.map((m) => m.programme.id);
    expect(verein.slice(0, 2).sort()).toEqual(["leader-buergerprojekte", "regionalbudget"]);
    // A subject no fitting programme is built on changes nothing.
    expect(finder.search("Gibt es Geld für eine Mitfahrbank?", TODAY, undefined, "", ["faq-ehrenamtskarte"])!.matches.map((m) => m.programme.id)).toEqual(plain);
  });

  it("takes the purpose from what the money is for, not from where it is", () => {
    expect(purposes.read("Ich brauche Geld für einen neuen Spielplatz im Ortskern").purposes).toEqual(["spielplatz"]);
    expect(purposes.read("Wer fördert Mitfahrbänke im Dorf?").purposes).toEqual(["mobilitaet"]);
    // "sowas" names nothing: the purpose comes from the rest of the message.
    expect(purposes.read("Wir wollen Mitfahrbänke aufstellen. Wer fördert sowas?").purposes).toEqual(["mobilitaet"]);
  });

  it("takes the care of trees and green spaces for no care of people (user test: 'Pflegeschnitt' listed the care programmes)", () => {
    for (const q of ["Wer fördert den Pflegeschnitt von Obstbäumen?", "Gibt es Geld für die Grünpflege am Friedhof?"]) {
      expect(finder.search(q, TODAY)?.purposes ?? [], q).not.toContain("senioren");
    }
  });

  it("reads what the money is for from the story when the question points at it (language/purposes.yaml, story_pointers)", () => {
    const story = "Ein paar Frauen aus dem Ort gehen für ältere Nachbarn einkaufen und mit ihnen spazieren.";
    for (const q of ["Wer fördert sowas?", "Gibt es da Geld für?", "Welche Fördermöglichkeiten gibt es da?", "Bekommen wir da was dazu?", "Wo bekommen wir das Geld her?", "Gibt es dafür Zuschuß?"]) {
      const s = finder.search(q, TODAY, undefined, story);
      expect(s?.fromStory, q).toBe(true);
      expect(s!.purposes, q).toContain("senioren");
    }
    // A grant of its own, a question that does not point back, or a story with a programme's name: no search.
    expect(finder.search("Kriegen wir da jetzt trotzdem noch die Förderung?", TODAY, undefined, story)).toBeUndefined();
    expect(finder.search("Sind die Helfer versichert?", TODAY, undefined, story)).toBeUndefined();
    expect(finder.search("Wer fördert sowas?", TODAY, undefined, "Die Kreisstiftung hat uns für die Einkaufshilfe für Senioren schon mal unterstützt.")).toBeUndefined();
    // The ways of asking that count only with a pointer do not start a search on their own.
    expect(purposes.read("Welche Fördermöglichkeiten gibt es für Senioren?").money).toBe(false);
    // In a story, "zum Supermarkt" names no purpose: it is not a market festival.
    expect(purposes.readStory("Unsere Älteren fahren zwölf Kilometer zum nächsten Supermarkt.").purposes).not.toContain("dorffest");
  });

  it("lists a programme only private persons apply for only when private persons ask", () => {
    const village = finder.search("Wer fördert einen neuen Dorfplatz mit Bänken?", TODAY)!;
    expect(village.matches.map((m) => m.programme.id)).not.toContain("dorferneuerung-privat");
    const couple = finder.search("Ein junges Paar will bei uns eine alte Scheune im Ortskern herrichten. Gibt es Geld für die Scheune?", TODAY)!;
    expect(couple.applicant).toBe("privat");
    expect(couple.matches.map((m) => m.programme.id)).toContain("dorferneuerung-privat");
  });

  it("names the area of a programme that is not open to every village (a LAG's LEADER money)", () => {
    const text = describeFunding(finder.search("Gibt es Geld für einen Dorftreff?", TODAY)!, purposes).text;
    const mosel = text.split("\n\n").find((b) => b.includes("LAG Mosel –"))!;
    expect(mosel).toMatch(/\nGebiet: nur im Gebiet der LAG Mosel/);
    // The area comes before the amounts, which otherwise read as open to every village.
    expect(mosel.indexOf("Gebiet:")).toBeLessThan(mosel.indexOf("Höhe:"));
  });

  it("says when more programmes fit than the list shows", () => {
    const search = finder.search("Gibt es Geld für einen Dorftreff?", TODAY)!;
    expect(search.matches).toHaveLength(4);
    expect(search.more).toBeGreaterThan(0);
    const text = describeFunding(search, purposes).text;
    expect(text).toContain(MSG.funding.more(search.more!, true));
    // Narrowed to who applies, the Dorferneuerung the first list left out is there.
    const narrowed = finder.match(search.purposes, "gemeinde", TODAY);
    expect(narrowed.matches.map((m) => m.programme.id)).toContain("dorferneuerung-kommunal");
    // A list with room for all says nothing of more.
    const few = finder.search("Gibt es Geld für einen Dorfladen?", TODAY)!;
    expect(few.matches.length).toBeGreaterThan(0);
    expect(few.more).toBeUndefined();
    expect(describeFunding(few, purposes).text).not.toContain("weitere Programme");
  });

  it("names what every project must be where the purpose alone promises too much (Aktion Mensch: inclusion)", () => {
    const text = describeFunding(finder.search("Gibt es Geld für einen Dorftreff?", TODAY)!, purposes).text;
    const mensch = text.split("\n\n").find((b) => b.includes("Aktion Mensch –"))!;
    expect(mensch).toMatch(/\nNur wenn: das Projekt dient Menschen mit Behinderung/);
    expect(mensch.indexOf("Nur wenn:")).toBeLessThan(mensch.indexOf("Höhe:"));
    const lag = text.split("\n\n").find((b) => b.includes("LAG Mosel –"))!;
    expect(lag).not.toContain("Nur wenn:");
  });

  it("leaves out a LAG's money when the question names a place outside its area (vgs, language/places.yaml)", () => {
    const local = new FundingFinder(programmes, purposes, new Places(loadLanguageData().places));
    const ids = (q: string) => local.search(q, TODAY)!.matches.map((m) => m.programme.id);
    expect(ids("Wir sind eine Gemeinde in der VG Hermeskeil. Gibt es Geld für einen Dorftreff?")).not.toContain("leader-mosel-aufruf");
    expect(ids("Wir sind eine Gemeinde in der VG Hermeskeil. Gibt es Geld für einen Dorftreff?")).toContain("leader-erbeskopf");
    expect(ids("Gibt es in Nittel Geld für einen Dorftreff?")).not.toContain("leader-erbeskopf");
    // No place named: every LAG may fit, each with its area.
    expect(ids("Gibt es Geld für einen Dorftreff?")).toContain("leader-mosel-aufruf");
    // Every VG a programme names is one of the county's.
    const vgs = new Set(loadLanguageData().places.verbandsgemeinden.map((v) => v.name));
    for (const p of programmes) for (const v of p.vgs ?? []) expect(vgs.has(v), `${p.id}: ${v}`).toBe(true);
  });

  it("shows why a deadline is unknown when the programme says so (a pilot with chosen shops)", () => {
    const s = finder.search("Gibt es Geld für einen Dorfladen?", TODAY)!;
    const text = describeFunding(s, purposes).text;
    expect(text).toContain("Modellprojekt mit ausgewählten Läden");
  });

  it("does not take a denied applicant for the one who applies (language/purposes.yaml, applicant_negations)", () => {
    expect(purposes.readStory("Ein paar Leute ohne Verein fahren Ältere zum Arzt.").applicant).toBe("initiative");
    expect(purposes.applicantOf("Das ist kein Verein, nur eine lose Gruppe.")).toBe("initiative");
    expect(purposes.applicantOf("Wir sind keine Gemeinde, sondern ein Verein.")).toBe("verein");
    expect(purposes.readStory("Unser Verein fährt Ältere zum Arzt.").applicant).toBe("verein");
  });

  it("falls back to the wider field when no programme names the purpose (a playground)", () => {
    const s = finder.search("Ich brauche Geld für einen neuen Spielplatz", TODAY)!;
    expect(s.purposes).toEqual(["spielplatz"]);
    expect(s.broader).toEqual(expect.arrayContaining(["jugend"]));
    for (const m of s.matches) expect(m.programme.purposes.some((x) => s.broader!.includes(x))).toBe(true);
  });
});

describe("deadlines against a fixed today", () => {
  const pflege = programmes.find((p) => p.id === "initiative-ehrenamt-pflege")!;
  it("counts the days to an open deadline", () => {
    expect(deadlineOf(pflege, TODAY)).toMatchObject({ state: "open", daysLeft: 150, short: "bis 30. April 2027, noch 150 Tage" });
    expect(deadlineOf(pflege, new Date(2027, 3, 30)).short).toBe("bis 30. April 2027, heute ist der letzte Tag");
  });

  it("shows a passed deadline as expired, never as open, and leaves it out of the coming deadlines", () => {
    const later = new Date(2027, 4, 2);
    const d = deadlineOf(pflege, later);
    expect(d.state).toBe("expired");
    expect(d.text).toMatch(/^abgelaufen \(Frist war 30\. April 2027\)/);
    expect(finder.upcoming(later).map((m) => m.programme.id)).not.toContain(pflege.id);
    expect(finder.upcoming(TODAY).map((m) => m.programme.id)).toContain(pflege.id);
    // In a list an expired call ranks after the open ones.
    const s = finder.match(["senioren"], undefined, later);
    const ids = s.matches.map((m) => m.programme.id);
    if (ids.includes(pflege.id)) expect(s.matches.findIndex((m) => m.deadline.state === "expired")).toBeGreaterThan(0);
  });

  it("says 'beendet' for a programme that ended, and 'nicht bekannt' where no deadline is stated", () => {
    expect(deadlineOf(programmes.find((p) => p.id === "corona-nachbarschaftshilfe")!, TODAY).state).toBe("expired");
    expect(deadlineOf(programmes.find((p) => p.id === "kreisstiftung")!, TODAY).short).toMatch(/^nicht bekannt/);
  });
});

describe("programme files", () => {
  const write = (dir: string, name: string, body: string) => {
    mkdirSync(join(dir, "programmes"), { recursive: true });
    writeFileSync(join(dir, "programmes", name), body);
  };
  const valid = `id: testprogramm\nname: "Testprogramm"\nfunder: "Land"\napplicants: [verein]\npurposes: [jugend]\nsummary: "Ein Programm für Tests."\ndeadline: "2027-01-31"\nsources: [faq-x]\nstand: "2026-11-01"\n`;

  it("reads a valid file", () => {
    const t = tempDir();
    try {
      write(t.dir, "testprogramm.yaml", valid);
      expect(loadProgrammes(t.dir, purposes.ids).map((p) => p.id)).toEqual(["testprogramm"]);
    } finally {
      t.cleanup();
    }
  });

  it.each([
    ["deadline: \"31.01.2027\"", /Feld „deadline“/],
    ["purposes: [raketen]", /unbekannter Zweck „raketen“/],
    ["applicants: [firma]", /Feld „applicants.0“/],
    ["betrag: 5", /Feld „\(Datei\)“|betrag/],
  ])("names the file and the field: %s", (line, message) => {
    const t = tempDir();
    try {
      const key = line.split(":")[0];
      const body = valid.split("\n").filter((l) => !l.startsWith(`${key}:`)).join("\n") + `${line}\n`;
      write(t.dir, "testprogramm.yaml", body);
      expect(() => loadProgrammes(t.dir, purposes.ids)).toThrow(ProgrammeError);
      expect(() => loadProgrammes(t.dir, purposes.ids)).toThrow(message);
      expect(() => loadProgrammes(t.dir, purposes.ids)).toThrow(/testprogramm\.yaml/);
      // While running, a broken file is skipped and reported; the others stay.
      write(t.dir, "zweites.yaml", valid.replace("id: testprogramm", "id: zweites"));
      const errors: string[] = [];
      expect(loadProgrammes(t.dir, purposes.ids, (e) => errors.push(e.message)).map((p) => p.id)).toEqual(["zweites"]);
      expect(errors).toEqual([expect.stringMatching(/testprogramm\.yaml/)]);
    } finally {
      t.cleanup();
    }
  });
});
