import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { draftFromFunding, draftFromSection, editedProgramme, FUNDING_HEADING, newProgramme, programmeDraftFrom, programmeDraftProblems, programmeFields, programmeIdFor } from "../../src/staff/programme-draft.js";
import { parseMarkdownKnowledge } from "../../src/retrieval/markdown-loader.js";
import { ProgrammeError, type Programme } from "../../src/funding/programmes.js";
import { Purposes } from "../../src/funding/purposes.js";

const file = "knowledge/programmes/leader-moselfranken-aufruf.yaml";
const original = readFileSync(file, "utf8");
const programme = parse(original) as Programme;
const form = (over: Record<string, unknown> = {}) => ({ ...programmeFields(programme), applicants: ["gemeinde", "verein"], ...over });

describe("a funding programme changed in the staff form", () => {
  it("takes a date typed while 'unbekannt' is still chosen, and ignores a leftover date under 'laufend'", () => {
    expect(programmeDraftFrom(form({ deadlineKind: "unbekannt", deadlineDate: "2027-06-30" }), programme)).toMatchObject({ deadlineKind: "datum", deadlineDate: "2027-06-30" });
    expect(programmeDraftFrom(form({ deadlineKind: "unbekannt", deadlineDate: "" }), programme)).toMatchObject({ deadlineKind: "unbekannt", deadlineDate: "" });
    expect(programmeDraftFrom(form({ deadlineKind: "laufend", deadlineDate: "2027-06-30" }), programme)).toMatchObject({ deadlineKind: "laufend", deadlineDate: "" });
    // A date the programme already had stays what "unbekannt" replaces: the choice wins.
    const dated = { ...programme, deadline: "2027-01-31" };
    expect(programmeDraftFrom(form({ deadlineKind: "unbekannt", deadlineDate: "2027-01-31" }), dated)).toMatchObject({ deadlineKind: "unbekannt", deadlineDate: "" });
  });

  it("keeps comments and the fields the form does not show, drops emptied ones, and sets today's Stand", () => {
    const d = programmeDraftFrom(form({ deadlineKind: "datum", deadlineDate: "2027-04-01", deadline_note: "", amount: "bis 30.000 Euro je Projekt" }), programme);
    const { content, programme: p } = editedProgramme(original, "leader-moselfranken-aufruf.yaml", d, "2026-12-05", new Purposes().ids);
    expect(content).toContain("# how mayors name it");
    expect(content).toContain("vgs: [Konz, Trier-Land, Saarburg-Kell]");
    expect(content).not.toContain("deadline_note");
    expect(p).toMatchObject({ deadline: "2027-04-01", amount: "bis 30.000 Euro je Projekt", stand: "2026-12-05", purposes: programme.purposes, sources: programme.sources });
  });

  it("says in German which field is wrong, and refuses personal data the programme and the knowledge do not have", () => {
    const bad = programmeDraftFrom(form({ link: "www.lag-moselfranken" }), programme);
    expect(() => editedProgramme(original, "leader-moselfranken-aufruf.yaml", bad, "2026-12-05", new Purposes().ids)).toThrow(ProgrammeError);
    expect(() => editedProgramme(original, "leader-moselfranken-aufruf.yaml", bad, "2026-12-05", new Purposes().ids)).toThrow(/Feld „link“ – keine gültige Internetadresse/);
    const kept = programmeDraftFrom(form(), programme);
    expect(programmeDraftProblems(kept, original, () => false)).toEqual([]);
    const added = programmeDraftFrom(form({ contact: `${programme.contact} Privat: Erika Beispiel, 0170 1234567` }), programme);
    const problems = programmeDraftProblems(added, original, () => false);
    expect(problems.join(" ")).toContain("„0170 1234567“");
    expect(problems.join(" ")).toContain("„Erika“");
  });
});

describe("a new funding programme made in /staff", () => {
  const purposes = new Purposes();
  const suggest = (text: string) => purposes.readStory(text).purposes;

  it("names its file after the programme, never one that is taken", () => {
    expect(programmeIdFor("Defi im Dorf", () => false)).toBe("defi-im-dorf");
    expect(programmeIdFor("Förderung „Bürgerhaus-Sanierung“ 2027", () => false)).toBe("foerderung-buergerhaus-sanierung-2027");
    const taken = new Set(["defi-im-dorf", "defi-im-dorf-2"]);
    expect(programmeIdFor("Defi im Dorf", (x) => taken.has(x))).toBe("defi-im-dorf-3");
    expect(programmeIdFor("Ein sehr langer Programmname mit vielen einzelnen Wörtern darin", () => false)).toBe("ein-sehr-langer-programmname-mit-vielen");
    expect(programmeIdFor("!", () => false)).toMatch(/^programm/);
  });

  it("fills the form from a newsletter's funding note: the next deadline still ahead, a yearly one rolled on", () => {
    const path = "newsletter/2026-11-rueckblick-ausblick.md";
    const doc = parseMarkdownKnowledge(path, readFileSync(`knowledge/${path}`, "utf8"));
    const note = doc.funding[0];
    const section = doc.sections.find((x) => x.programme === note.id)!.text;
    const d = draftFromFunding(note, section, "2026-12-06", suggest);
    expect(d).toMatchObject({ name: note.programme, funder: "Land Rheinland-Pfalz", amount: note.amount, deadlineKind: "datum", deadlineDate: "2027-04-30", link: note.link });
    expect(d.applicants).toContain("initiative");
    expect(d.purposes).toContain("senioren");
    // After this year's 30 April the yearly deadline is next year's.
    expect(draftFromFunding(note, section, "2027-05-02", suggest)).toMatchObject({ deadlineKind: "datum", deadlineDate: "2028-04-30" });
    // A one-off deadline that has passed leaves the date open, with the newsletter's words as the note.
    const once = { ...note, deadlines: [{ date: "2026-03-31", label: "Antrag bis 31. März 2026", yearly: false }] };
    expect(draftFromFunding(once, section, "2026-12-06", suggest)).toMatchObject({ deadlineKind: "unbekannt", deadlineDate: "", deadline_note: "Antrag bis 31. März 2026" });
  });

  it("fills the form from a section headed 'Förderung: …' of an issue uploaded as sent", () => {
    const d = draftFromSection("Förderung: Defi im Dorf", "Der Landkreis fördert Defibrillatoren für Dorfgemeinschaftshäuser mit 80 % der Kosten, höchstens 1.200 Euro je Gerät. Anträge stellen Ortsgemeinden bis 26. Februar 2027 bei der Kreisverwaltung.", undefined, "2026-12-06", suggest);
    expect(d).toMatchObject({ name: "Defi im Dorf", funder: "Landkreis Trier-Saarburg", deadlineKind: "datum", deadlineDate: "2027-02-26" });
    expect(d.amount).toContain("höchstens 1.200 Euro je Gerät");
    expect(d.rate).toContain("80 %");
    expect(d.apply).toContain("bis 26. Februar 2027");
    expect(d.applicants).toEqual(["gemeinde"]);
    // From the user test: who applies is in the sentence about the application, what is excluded is no purpose,
    // the contact is the sentence with the office's number, and the date has its own field.
    const play = draftFromSection("Förderung: Kreisprogramm „Spielplatz im Dorf“", "Der Landkreis unterstützt Ortsgemeinden, die einen öffentlichen Spielplatz neu anlegen. Pflege und laufender Unterhalt werden nicht gefördert. Der Zuschuss beträgt 50 Prozent der förderfähigen Kosten, höchstens 8.000 Euro. Den Antrag stellt die Ortsgemeinde. Fördervereine und Elterninitiativen können mitmachen. Anträge können bis zum 30. April 2027 bei der Kreisverwaltung gestellt werden. Fragen beantwortet die Leitstelle Familie unter Telefon 0651 715-0.", undefined, "2026-12-06", suggest);
    expect(play).toMatchObject({ name: "Kreisprogramm „Spielplatz im Dorf“", applicants: ["gemeinde"], deadlineDate: "2027-04-30", deadline_note: "" });
    expect(play.purposes).toContain("spielplatz");
    expect(play.purposes).not.toContain("senioren");
    expect(play.rate).toContain("50 Prozent");
    expect(play.apply).toContain("bei der Kreisverwaltung");
    expect(play.contact).toContain("0651 715-0");
    for (const h of ["Förderung: Defi im Dorf", "Streuobstwiesen: Der Kreis zahlt den Pflegeschnitt", "Neuer Zuschuss für Dorftreffs", "Ehrenamtsprämie 2027"]) expect(FUNDING_HEADING.test(h), h).toBe(true);
    for (const h of ["Aus der Praxis: Obstbaumschnitt-Kurs in Kell am See", "Versicherungsschutz beim Dorffest"]) expect(FUNDING_HEADING.test(h), h).toBe(false);
  });

  it("writes a file the Förder-Finder reads, with its source, purposes and today's Stand; refuses one without a purpose", () => {
    const d = { ...programmeDraftFrom({}), name: "Defi im Dorf", funder: "Landkreis Trier-Saarburg", summary: "Zuschuss für Defibrillatoren in Dorfgemeinschaftshäusern.",
      purposes: ["treffpunkt"], applicants: ["gemeinde" as const], deadlineKind: "datum" as const, deadlineDate: "2027-02-26" };
    const { content, programme: p } = newProgramme("defi-im-dorf", d, ["nl-2026-11"], "2026-12-06", purposes.ids);
    expect(parse(content)).toMatchObject({ id: "defi-im-dorf", sources: ["nl-2026-11"], purposes: ["treffpunkt"], stand: "2026-12-06", deadline: "2027-02-26" });
    expect(p.name).toBe("Defi im Dorf");
    expect(programmeDraftProblems({ ...d, purposes: [] }, "", () => false).join(" ")).toContain("mindestens einen Zweck");
    expect(() => newProgramme("defi-im-dorf", { ...d, purposes: ["gibtsnicht"] }, ["nl-2026-11"], "2026-12-06", purposes.ids)).toThrow(/unbekannter Zweck/);
  });
});
