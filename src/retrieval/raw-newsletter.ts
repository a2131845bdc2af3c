import { basename, extname } from "node:path";
import type { KnowledgeDoc, KnowledgeSection } from "./knowledge-types.js";
import type { Funding } from "./knowledge-schema.js";
import { IngestError } from "./ingest-error.js";
import { firstLink, sha256 } from "./markdown-loader.js";

export const PROJECT_LINK = "https://trier-saarburg.de/hauptamt-staerkt-ehrenamt/";

/** Lines of an e-mail footer that carry no knowledge and would only pollute retrieval. */
const BOILERPLATE = /(abmelden|abbestellen|sie erhalten diesen newsletter|impressum|datenschutzerklärung|newsletter weiterempfehlen|im browser (an)?zeigen)/i;

export interface RawMeta {
  date?: string;
  issue?: number;
  title?: string;
  topics?: string[];
  link?: string;
  /** The title and the text before the first section (the masthead): where the issue's date and number stand. */
  head?: string;
}

/** File names like 2024-05-15-ausgabe-47-dorflaeden.pdf carry date and issue number. */
export function metaFromFileName(file: string): RawMeta {
  const name = basename(file).replace(/\.(html?|pdf|md)$/i, "");
  const d = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(name);
  const issue = /ausgabe[-_ ]?(\d+)/i.exec(name);
  return {
    date: d ? `${d[1]}-${d[2]}-${d[3] ?? "01"}` : undefined,
    issue: issue ? Number(issue[1]) : undefined,
  };
}

const MONTHS = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"];
/** How much of the masthead is read (a long one is cut: the issue's date stands near its top). */
const HEAD_CHARS = 600;

/**
 * The issue's date and number from the start of its text, for a file saved under any name ("Newsletter
 * Dezember.pdf"): "Trier, 15. Dezember 2026", "15.12.2026" or "Dezember 2026" (then the first of the month),
 * and "Ausgabe 78" or "Nr. 78". Only the masthead counts: a deadline in a section is not the issue's date.
 */
export function metaFromText(text: string): RawMeta {
  const head = text.slice(0, HEAD_CHARS).toLowerCase();
  const pad = (n: number) => String(n).padStart(2, "0");
  const month = (name: string) => MONTHS.indexOf(name.replace("maerz", "märz")) + 1;
  const candidates: { at: number; date: string; day: boolean }[] = [];
  for (const m of head.matchAll(/(?:(\d{1,2})\.\s*)?(januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember)\s+((?:19|20)\d{2})\b/gu)) {
    candidates.push({ at: m.index, date: `${m[3]}-${pad(month(m[2]))}-${pad(Number(m[1] ?? 1))}`, day: m[1] !== undefined });
  }
  for (const m of head.matchAll(/\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b/g)) {
    candidates.push({ at: m.index, date: `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`, day: true });
  }
  // A real calendar day; a full date ("15. Dezember 2026") before a month alone ("Ausgabe Dezember 2026").
  const valid = candidates.filter((c) => !Number.isNaN(Date.parse(c.date)) && new Date(`${c.date}T00:00:00Z`).toISOString().slice(0, 10) === c.date);
  const best = valid.sort((a, b) => Number(b.day) - Number(a.day) || a.at - b.at)[0];
  const issue = /\b(?:ausgabe|newsletter)\s*(?:nr\.?\s*)?(\d{1,4})\b|\bnr\.\s*(\d{1,4})\b/.exec(head);
  return { date: best?.date, issue: issue ? Number(issue[1] ?? issue[2]) : undefined };
}

/** A sentence with one of these words and a full date names a deadline ("Anträge bis 28. Februar 2027"). */
const DEADLINE_WORDS = /\b(?:bis(?:\s+zum)?|frist|antragsfrist|antragsschluss|einsendeschluss|bewerbungsschluss|anmeldeschluss|spätestens|stichtag)\b/iu;
const FULL_DATE = /\b(\d{1,2})\.\s*(?:(\d{1,2})\.|(januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember))\s*((?:19|20)\d{2})\b/giu;

/**
 * Deadlines an uploaded issue names, per section: a sentence with a deadline word and a full date on or after the
 * issue's own date. They reach the weekly digest like the deadlines of the Markdown issues (`funding` there);
 * an issue staff upload has no such list, and "Anträge bis 28. Februar 2027" would otherwise be missed.
 */
export function deadlinesIn(sections: KnowledgeSection[], issueDate: string, issue: number | undefined, link: string, docId: string): Funding[] {
  const pad = (n: number) => String(n).padStart(2, "0");
  const out: Funding[] = [];
  sections.forEach((sec, i) => {
    const dates = new Set<string>();
    // Sentences end at . ! ? after a letter: "28. Februar" is one date, not two sentences.
    for (const sentence of sec.text.split(/(?<=\p{L}[.!?])\s+(?=\p{Lu})/u)) {
      if (!DEADLINE_WORDS.test(sentence)) continue;
      for (const m of sentence.matchAll(FULL_DATE)) {
        const month = m[2] ? Number(m[2]) : MONTHS.indexOf(m[3].toLowerCase().replace("maerz", "märz")) + 1;
        const date = `${m[4]}-${pad(month)}-${pad(Number(m[1]))}`;
        if (Number.isNaN(Date.parse(date)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date || date < issueDate) continue;
        dates.add(date);
      }
    }
    if (!dates.size) return;
    const source = issue ? `Newsletter Nr. ${issue}` : "Newsletter";
    out.push({
      id: `${docId}-${i + 1}`, section: sec.heading, programme: sec.heading, funder: source, amount: `siehe ${source}`,
      applicants: `siehe ${source}`, contact: `siehe ${source}`, link: sec.link ?? link,
      deadlines: [...dates].sort().map((date) => ({ date, label: `Frist laut ${source}`, yearly: false })),
      fromText: true,
    });
  });
  return out;
}

export function isBoilerplate(text: string): boolean {
  return BOILERPLATE.test(text) && text.length < 400;
}

/** Builds a newsletter document from sections found in a raw file; validates what staff cannot see in a PDF. */
export function rawDoc(file: string, content: Buffer, origin: "html" | "pdf" | "markdown", meta: RawMeta, sections: KnowledgeSection[]): KnowledgeDoc {
  const fromName = metaFromFileName(file);
  const fromText = metaFromText(meta.head ?? "");
  const date = meta.date ?? fromName.date ?? fromText.date;
  const issue = meta.issue ?? fromName.issue ?? fromText.issue;
  if (!date || Number.isNaN(Date.parse(date)))
    throw new IngestError(file, `Kein Datum gefunden. Bitte schreiben Sie das Datum der Ausgabe oben in die Datei („Trier, 15. Dezember 2026“) oder an den Anfang des Dateinamens, z. B. „2026-12-15-newsletter${extname(file).toLowerCase() || ".html"}“, und laden Sie die Datei noch einmal hoch`);
  const kept = sections
    .map((s) => ({ ...s, text: s.text.trim() }))
    .filter((s) => s.text.length >= 40 && !isBoilerplate(s.text));
  if (kept.length === 0) throw new IngestError(file, "kein lesbarer Text gefunden");
  const link = meta.link ?? PROJECT_LINK;
  for (const s of kept) s.link ??= firstLink(s.text) ?? link;
  const title = meta.title?.trim() || `Newsletter${issue ? ` Nr. ${issue}` : ""} vom ${date}`;
  return {
    file, hash: sha256(content), kind: "newsletter",
    id: `nl-${date.slice(0, 7)}${origin === "pdf" ? "-pdf" : ""}`,
    // No topic rather than a wrong one: "Projekt Hauptamt stärkt Ehrenamt" for every uploaded issue put a
    // Winterdienst question under that project in the Vorgang, in "Wissenslücken" and in the digest.
    title, issue, date, stand: date, link, topics: meta.topics ?? [],
    legal: /versicher|haftung|gemo|steuer|recht/i.test(kept.map((s) => s.text).join(" ")),
    funding: deadlinesIn(kept, date, issue, link, `nl-${date.slice(0, 7)}${origin === "pdf" ? "-pdf" : ""}`), sections: kept, origin,
  };
}
