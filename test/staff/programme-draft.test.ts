import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { editedProgramme, programmeDraftFrom, programmeDraftProblems, programmeFields } from "../../src/staff/programme-draft.js";
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
