import { parseDocument } from "yaml";
import { APPLICANTS, checkProgramme, ProgrammeError, type Applicant, type Programme } from "../funding/programmes.js";
import { personalDataIn } from "../answer/redact.js";
import { personalNames } from "./faq-draft.js";

/** How a deadline is given in the form: a date, or one of the states the Förder-Finder knows. */
export const DEADLINE_KINDS = ["datum", "laufend", "unbekannt", "beendet"] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * The fields of a funding programme staff change as the year goes on (deadline, amounts, contact); what the
 * Förder-Finder matches on (purposes, sources, other names) stays as the file has it.
 */
export interface ProgrammeDraft {
  name: string;
  funder: string;
  summary: string;
  applicants: Applicant[];
  area: string;
  condition: string;
  rate: string;
  amount: string;
  own_share: string;
  deadlineKind: DeadlineKind;
  deadlineDate: string;
  deadline_note: string;
  apply: string;
  contact: string;
  link: string;
}

/** Optional text fields: an empty one is left out of the file. */
const OPTIONAL = ["area", "condition", "rate", "amount", "own_share", "deadline_note", "apply", "contact", "link"] as const;
/** The text fields with their labels (for messages; the form uses the same labels). */
export const PROGRAMME_FIELD_LABELS: Record<(typeof OPTIONAL)[number] | "name" | "funder" | "summary", string> = {
  name: "Name",
  funder: "Geldgeber",
  summary: "Kurzbeschreibung",
  area: "Gebiet",
  condition: "Nur wenn (Bedingung für jedes Projekt)",
  rate: "Förderquote",
  amount: "Höhe",
  own_share: "Eigenanteil",
  deadline_note: "Hinweis zur Frist",
  apply: "Antrag",
  contact: "Kontakt",
  link: "Internetadresse",
};

export function programmeFields(p: Programme): ProgrammeDraft {
  const dated = /^\d{4}-\d{2}-\d{2}$/.test(p.deadline);
  return {
    name: p.name,
    funder: p.funder,
    summary: p.summary,
    applicants: [...p.applicants],
    area: p.area ?? "",
    condition: p.condition ?? "",
    rate: p.rate ?? "",
    amount: p.amount ?? "",
    own_share: p.own_share ?? "",
    deadlineKind: dated ? "datum" : (p.deadline as DeadlineKind),
    deadlineDate: dated ? p.deadline : "",
    deadline_note: p.deadline_note ?? "",
    apply: p.apply ?? "",
    contact: p.contact ?? "",
    link: p.link ?? "",
  };
}

const text = (v: unknown, max: number) => (typeof v === "string" ? v.replace(/\s+/g, " ").trim().slice(0, max) : "");

/** The form's fields as posted (unknown applicants and deadline kinds are dropped, texts bounded). */
export function programmeDraftFrom(body: Record<string, unknown>, before?: Programme): ProgrammeDraft {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const kind = text(body.deadlineKind, 20);
  const chosen: DeadlineKind = (DEADLINE_KINDS as readonly string[]).includes(kind) ? (kind as DeadlineKind) : "unbekannt";
  const date = text(body.deadlineDate, 10);
  // A new date typed while "unbekannt" is still chosen means that date (a user test lost one that way); with
  // "laufend" or "beendet" chosen, a date left in the field does not count.
  const typed = chosen === "unbekannt" && Boolean(date) && date !== before?.deadline;
  return {
    name: text(body.name, 200),
    funder: text(body.funder, 300),
    summary: text(body.summary, 1500),
    applicants: list(body.applicants).filter((a): a is Applicant => APPLICANTS.includes(a as Applicant)),
    area: text(body.area, 500),
    condition: text(body.condition, 500),
    rate: text(body.rate, 500),
    amount: text(body.amount, 500),
    own_share: text(body.own_share, 300),
    deadlineKind: typed ? "datum" : chosen,
    deadlineDate: chosen === "datum" || typed ? date : "",
    deadline_note: text(body.deadline_note, 500),
    apply: text(body.apply, 500),
    contact: text(body.contact, 500),
    link: text(body.link, 500),
  };
}

/**
 * What stops a draft before it is written: a missing date, and personal data that neither the
 * programme had before nor the knowledge publishes (an office's number and its head's name in the contact
 * are public; a private person's are not – every mayor reads the list).
 */
export function programmeDraftProblems(d: ProgrammeDraft, before: string, published: (text: string) => boolean): string[] {
  const problems: string[] = [];
  if (d.deadlineKind === "datum" && !/^\d{4}-\d{2}-\d{2}$/.test(d.deadlineDate)) problems.push("Frist: Bitte ein Datum wählen – oder „laufend“, „unbekannt“ oder „beendet“.");
  const known = (x: string) => before.includes(x) || published(x);
  for (const [field, label] of Object.entries(PROGRAMME_FIELD_LABELS)) {
    const value = d[field as keyof typeof PROGRAMME_FIELD_LABELS];
    const personal = personalDataIn(value).filter((x) => !known(x));
    if (personal.length) problems.push(`${label}: Bitte entfernen Sie ${personal.map((x) => `„${x}“`).join(", ")} – die Liste ist für alle sichtbar. Nummern und Adressen von Ämtern, die schon im Wissen stehen, sind erlaubt.`);
    const names = personalNames(value).filter((x) => !known(x));
    if (names.length) problems.push(`${label}: Bitte entfernen Sie Namen von Personen (${names.map((n) => `„${n}“`).join(", ")}), die noch nicht im Wissen stehen – die Liste ist für alle sichtbar.`);
  }
  return problems;
}

/**
 * The programme's file with the draft's fields, checked as the Förder-Finder reads it (throws ProgrammeError
 * naming the field). Comments and the fields the form does not show stay as they were; the Stand becomes today.
 */
export function editedProgramme(original: string, file: string, d: ProgrammeDraft, today: string, knownPurposes: Set<string>): { content: string; programme: Programme } {
  const doc = parseDocument(original);
  if (doc.errors.length) throw new ProgrammeError(`Förderprogramm ${file}: kein gültiges YAML (${doc.errors[0].message.split("\n")[0]})`);
  doc.set("name", d.name);
  doc.set("funder", d.funder);
  doc.set("summary", d.summary);
  doc.set("applicants", doc.createNode(d.applicants, { flow: true }));
  for (const f of OPTIONAL) {
    if (d[f]) doc.set(f, d[f]);
    else doc.delete(f);
  }
  doc.set("deadline", d.deadlineKind === "datum" ? d.deadlineDate : d.deadlineKind);
  doc.set("stand", today);
  const content = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return { content, programme: checkProgramme(doc.toJS(), file, knownPurposes) };
}
