import { parseDocument } from "yaml";
import { APPLICANTS, checkProgramme, ProgrammeError, type Applicant, type Programme } from "../funding/programmes.js";
import { personalDataIn } from "../answer/redact.js";
import { personalNames } from "./faq-draft.js";
import type { Funding } from "../retrieval/knowledge-schema.js";
import { sentencesOf } from "../language/resources.js";

/** How a deadline is given in the form: a date, or one of the states the Förder-Finder knows. */
export const DEADLINE_KINDS = ["datum", "laufend", "unbekannt", "beendet"] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * The fields of a funding programme staff change as the year goes on (deadline, amounts, contact); what the
 * Förder-Finder matches on (purposes, sources, other names) stays as the file has it.
 */
export interface ProgrammeDraft {
  name: string;
  /** What it pays for (ids of language/purposes.yaml): the Förder-Finder lists it for these. */
  purposes: string[];
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
    purposes: [...p.purposes],
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
    purposes: list(body.purposes).filter((x): x is string => typeof x === "string" && /^[a-z_-]{2,40}$/.test(x)),
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
  if (!d.name) problems.push("Name: Bitte geben Sie den Namen des Programms an.");
  if (d.funder.length < 2) problems.push("Geldgeber: Bitte geben Sie an, wer das Geld gibt.");
  if (d.summary.length < 10) problems.push("Kurzbeschreibung: Bitte beschreiben Sie in zwei, drei Sätzen, was gefördert wird und für wen.");
  if (!d.purposes.length) problems.push("Wofür es Geld gibt: Bitte kreuzen Sie mindestens einen Zweck an – danach sucht der Förder-Finder.");
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
  doc.set("purposes", doc.createNode(d.purposes, { flow: true }));
  for (const f of OPTIONAL) {
    if (d[f]) doc.set(f, d[f]);
    else doc.delete(f);
  }
  doc.set("deadline", d.deadlineKind === "datum" ? d.deadlineDate : d.deadlineKind);
  doc.set("stand", today);
  const content = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return { content, programme: checkProgramme(doc.toJS(), file, knownPurposes) };
}

/** A file name (and id) for a new programme from its name: "Defi im Dorf" → "defi-im-dorf", never one already taken. */
export function programmeIdFor(name: string, taken: (id: string) => boolean): string {
  const folded = name.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss")
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  let base = folded.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (base.length > 40) base = base.slice(0, 40).replace(/-[^-]*$/, "") || base.slice(0, 40);
  if (base.length < 3) base = `programm-${base}`.replace(/-+$/, "");
  let id = base;
  for (let i = 2; taken(id); i++) id = `${base}-${i}`;
  return id;
}

/** The file of a new programme: the draft's fields, its sources (knowledge entries that announce it), checked like any other. */
export function newProgramme(id: string, d: ProgrammeDraft, sources: string[], today: string, knownPurposes: Set<string>): { content: string; programme: Programme } {
  const skeleton = parseDocument(`# Angelegt in /staff.\nid: ${id}\n`);
  skeleton.set("sources", skeleton.createNode(sources, { flow: true }));
  return editedProgramme(skeleton.toString({ lineWidth: 0, flowCollectionPadding: false }), `${id}.yaml`, d, today, knownPurposes);
}

/** Who may apply, as far as a newsletter's free text says it (staff check the boxes before saving). */
function applicantsIn(text: string): Applicant[] {
  const t = text.toLowerCase();
  const out: Applicant[] = [];
  if (/gemeinde|kommune|kommunal|städte/.test(t)) out.push("gemeinde");
  if (/verein|verbände|organisation/.test(t)) out.push("verein");
  if (/initiative|gruppe|nachbarschaftshilfe/.test(t)) out.push("initiative");
  if (/privat|bürgerinnen|bürger |eigentümer|einzelpersonen/.test(t)) out.push("privat");
  return out;
}

/**
 * A new programme's draft from a newsletter's funding note (its `funding` block and the section it belongs to):
 * the announcement is there, staff only check it and tick what it pays for. The next deadline still ahead
 * becomes the date; without one it is "unbekannt" with the newsletter's wording as the note.
 */
export function draftFromFunding(f: Funding, sectionText: string, today: string, suggestPurposes: (text: string) => string[]): ProgrammeDraft {
  // A yearly deadline already past this year comes again next year ("jährlich bis 30. April").
  const ahead = (x: Funding["deadlines"][number]) => {
    let date = x.date;
    for (let y = Number(date.slice(0, 4)) + 1; x.yearly && date < today && y <= Number(today.slice(0, 4)) + 1; y++) date = `${y}${x.date.slice(4)}`;
    return { date, label: x.label };
  };
  const dates = f.deadlines.map(ahead).filter((x) => x.date >= today).sort((a, b) => a.date.localeCompare(b.date));
  const next = dates[0]?.date;
  const label = dates[0]?.label ?? f.deadlines[0]?.label ?? "";
  const summary = sectionText.replace(/\s+/g, " ").trim();
  const sentences = sentencesOf(summary);
  return {
    name: f.programme.slice(0, 200),
    purposes: suggestPurposes(`${f.programme} ${summary}`),
    funder: f.funder.slice(0, 300),
    summary: sentences.slice(0, 3).join(" ").trim().slice(0, 1500),
    applicants: applicantsIn(f.applicants),
    area: "",
    condition: "",
    rate: "",
    amount: f.amount.slice(0, 500),
    own_share: "",
    deadlineKind: next ? "datum" : "unbekannt",
    deadlineDate: next ?? "",
    deadline_note: label.slice(0, 500),
    apply: "",
    contact: f.contact.slice(0, 500),
    link: f.link.slice(0, 500),
  };
}

const MONTHS = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"];
const DATE = new RegExp(`(\\d{1,2})\\.\\s?(?:(${MONTHS.join("|")})|(\\d{1,2})\\.)\\s*((?:19|20)\\d{2})`, "giu");

/**
 * A section heading that announces funding: "Förderung: Pflegeprämie für Streuobstwiesen", "Neuer Förderaufruf …",
 * "Streuobstwiesen: Der Kreis zahlt den Pflegeschnitt", "Zuschuss für …", "Ehrenamtsprämie …".
 */
export const FUNDING_HEADING = /förder|zuschuss|zuschüsse|prämie|\bzahlt\b|\bgeld für\b/iu;
/** The rubric before a colon that only says "funding" ("Förderung: …", "Fördertipp: …"): not part of the name. */
const FUNDING_RUBRIC = /^\s*(förder\p{L}*|neu|neues?|tipp)\s*:\s*/iu;

/** A programme's name from the heading of the section that announces it. */
export const programmeNameOf = (heading: string) => heading.replace(FUNDING_RUBRIC, "").trim();

/**
 * A new programme's draft from a newsletter section about funding, for issues without a `funding` block (HTML
 * and PDF as sent): the name from the heading, the first sentences as summary, the first amount, a date still
 * ahead as the deadline, the sentence about the application. Staff check and complete it before saving.
 */
export function draftFromSection(heading: string, text: string, link: string | undefined, today: string, suggestPurposes: (text: string) => string[]): ProgrammeDraft {
  const flat = text.replace(/\s+/g, " ").trim();
  const sentences = sentencesOf(flat).map((x) => x.trim()).filter(Boolean);
  const name = programmeNameOf(heading);
  const dates = [...flat.matchAll(DATE)].map((m) => {
    const month = m[2] ? MONTHS.indexOf(m[2].toLowerCase()) + 1 : Number(m[3]);
    return `${m[4]}-${String(month).padStart(2, "0")}-${m[1].padStart(2, "0")}`;
  }).filter((d) => /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(d) && d >= today);
  const sentenceWith = (re: RegExp) => sentences.find((x) => re.test(x)) ?? "";
  const funder = /\b(Land Rheinland-Pfalz|Das Land|Landes\w*)\b/.test(flat) ? "Land Rheinland-Pfalz"
    : /\b(Landkreis|Kreisverwaltung|Der Kreis)\b/.test(flat) ? "Landkreis Trier-Saarburg" : "";
  // Who applies is in the sentence about the application when there is one ("Den Antrag stellt die Ortsgemeinde."),
  // not in every group the text names ("Fördervereine … können mitmachen").
  const applies = sentenceWith(/\b(antrag stell|anträge stell|stellt den antrag|den antrag stellt|beantragen können|antragsberechtigt|können .{0,40}beantragen)/iu);
  // What it pays for, not what it excludes ("Pflege und laufender Unterhalt werden nicht gefördert").
  const positive = sentences.filter((x) => !/\bnicht\b|\bkein(e|en)?\b/iu.test(x)).slice(0, 3).join(" ");
  return {
    name: name.slice(0, 200),
    purposes: suggestPurposes(`${name} ${positive}`),
    funder,
    summary: sentences.slice(0, 3).join(" ").slice(0, 1500),
    applicants: applicantsIn(applies || flat),
    area: "",
    condition: "",
    rate: sentenceWith(/\d+\s?(%|prozent)/iu).slice(0, 500),
    amount: sentenceWith(/\d[\d.]*(?:,\d+)?\s?(?:Euro|€)/).slice(0, 500),
    own_share: "",
    deadlineKind: dates.length ? "datum" : "unbekannt",
    deadlineDate: dates.sort()[0] ?? "",
    // The date has its own field; the note is for a deadline without one.
    deadline_note: "",
    // Where and how to apply before who applies ("Anträge können bis … bei der Kreisverwaltung gestellt werden").
    apply: (sentenceWith(/\bAntr(ag|äge)\b.*\b(bei|an)\s+(der|die|den|dem)\b/u) || sentenceWith(/\bAntr(ag|äge)/)).slice(0, 500),
    contact: sentenceWith(/\b(fragen beantwortet|ansprechpartner\p{L}*|kontakt|telefon|e-mail|erreichbar)\b/iu).slice(0, 500),
    link: (link ?? "").slice(0, 500),
  };
}

/** A check's message in the form's words: "Internetadresse: keine gültige …" instead of the file and the field's key. */
export function formProblem(message: string): string {
  const m = /^Förderprogramm [^:]+: Feld „([^“]+)“ – (.*)$/su.exec(message);
  if (!m) return message.replace(/^Förderprogramm [^:]+: /u, "");
  const label = (PROGRAMME_FIELD_LABELS as Record<string, string>)[m[1]] ?? ({ applicants: "Antrag stellen können", purposes: "Wofür es Geld gibt", deadline: "Frist", sources: "Quelle im Wissen" } as Record<string, string>)[m[1]] ?? m[1];
  return `${label}: ${m[2]}`;
}
