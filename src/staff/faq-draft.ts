import { foldUmlauts } from "../retrieval/german-text.js";
import matter from "gray-matter";
import type { TicketRecord } from "../store/store.js";
import { FAQ_MAX_QUESTION_CHARS, FAQ_MAX_WORDS } from "../retrieval/knowledge-schema.js";
import { countWords, parseMarkdownKnowledge } from "../retrieval/markdown-loader.js";
import { IngestError } from "../retrieval/ingest-error.js";
import { askedBefore } from "../core/labels.js";
import { personalDataIn, redactPersonalData } from "../answer/redact.js";
import { readFirstNames } from "../language/resources.js";

export const FAQ_DRAFT_LINK = "https://trier-saarburg.de/hauptamt-staerkt-ehrenamt/";
export const FAQ_DRAFT_SOURCE = "Kreisverwaltung Trier-Saarburg – Hauptamt stärkt Ehrenamt";

export interface FaqDraft {
  question: string;
  answer: string;
  topics: string[];
  legal: boolean;
}

let firstNames: Set<string> | undefined;
const NAME = "\\p{Lu}[\\p{Ll}]+(?:-\\p{Lu}[\\p{Ll}]+)?";
/** "Herr Beispiel", "Frau Dr. Schmitt", "Familie Weber": a title or form of address before a name. */
const ADDRESSED = new RegExp(`(?<![\\p{L}])(?:Herrn?|Frau|Fr\\.|Hr\\.|Familie)\\s+(?:Dr\\.\\s+)?${NAME}`, "u");

/**
 * Names of people in a text for the knowledge base: a form of address with a name, or a common first name
 * (language/first-names.txt) as a word of its own ("Anita Allmann", "Viele Grüße, Erika"). Every mayor reads
 * what is published: a staff answer to one person must not carry that person's or a colleague's name.
 */
export function personalNames(text: string): string[] {
  firstNames ??= new Set(readFirstNames());
  const found = new Set<string>();
  const addressed = text.match(new RegExp(ADDRESSED.source, "gu")) ?? [];
  for (const a of addressed) found.add(a);
  // A first name that is also a month ("bis 31. August", "August 2026", "Jan.") is a date.
  for (const m of text.matchAll(/[\p{L}-]+/gu)) {
    const date = /\d\.\s*$/.test(text.slice(0, m.index)) || /^\.|^\s+\d{4}/.test(text.slice(m.index + m[0].length));
    if (firstNames.has(m[0]) && !date) found.add(m[0]);
  }
  return [...found];
}

/**
 * A staff answer without its greeting and sign-off ("Guten Tag Herr Beispiel,", "Viele Grüße, Erika"). The
 * greeting ends at its comma, "!" or line end (a short name at most): written on one line with the answer
 * ("Hallo, für die Dorferneuerung … bis zum 1. Oktober"), the answer stays whole. The sign-off starts a line or
 * follows a sentence, is followed by a comma, a line end or a name, and runs to the end in at most three short
 * lines; "Grüße an den Rat …" inside the text stays.
 */
export function withoutGreeting(answer: string): string {
  return answer
    .replace(/^\s*(?:hallo|guten (?:tag|morgen|abend)|moin|liebe[rs]?|sehr geehrte[rs]?)(?![\p{L}])[^\n,!.?]{0,40}(?:[,!]|\n|$)\s*/iu, "")
    .replace(/(?:^|\n|(?<=[.!?])[ \t]+)[ \t]*(?:(?:[Vv]iele|[Bb]este|[Ff]reundliche|[Hh]erzliche|[Ll]iebe) [Gg]rüße|[Mm]it freundlichen [Gg]rüßen|[Gg]ruß|[Gg]rüße)(?![\p{L}])(?=[ \t]*(?:[,\n]|$)|[ \t]+\p{Lu})[^\n]{0,60}(?:\n[^\n]{0,60}){0,2}\s*$/u, "")
    .trim()
    .replace(/^\p{Ll}/u, (c) => c.toUpperCase());
}

function draftQuestion(ticket: TicketRecord): string {
  const question = ticket.question.replace(/\s+/g, " ").trim();
  const before = askedBefore(ticket);
  if (before) return `${before} – ${question}`;
  // A follow-up split off a longer message ("Und gibt es Geld für Photovoltaik") stands alone as an FAQ question.
  const own = question.replace(/^(?:und|oder|aber|also)\s+(?=\p{L})/iu, "").replace(/^\p{Ll}/u, (c) => c.toUpperCase());
  return /[?.!]$/.test(own) ? own : `${own}?`;
}

/** Cuts a text to at most `maxWords` words, preferably after a whole sentence. */
export function trimToWords(text: string, maxWords: number): { text: string; trimmed: boolean } {
  const clean = text.trim();
  if (countWords(clean) <= maxWords) return { text: clean, trimmed: false };
  const sentences = clean.match(/[^.!?]+[.!?]+["“”)]*\s*|[^.!?]+$/g) ?? [clean];
  let out = "";
  for (const s of sentences) {
    if (countWords(out + s) > maxWords) break;
    out += s;
  }
  if (!out.trim()) {
    const words = clean.split(/\s+/);
    let n = maxWords;
    while (n > 0 && countWords(words.slice(0, n).join(" ") + " …") > maxWords) n--;
    out = words.slice(0, n).join(" ") + " …";
  }
  return { text: out.trim(), trimmed: true };
}

/**
 * The proposal shown to staff: the mayor's question with phone numbers, e-mail addresses and IBANs
 * already removed, the staff answer cut below the FAQ limit, the ticket's topics.
 */
export function suggestFaqDraft(ticket: TicketRecord): FaqDraft & { trimmed: boolean } {
  const answer = trimToWords(withoutGreeting(ticket.answer ?? ""), FAQ_MAX_WORDS - 1);
  return {
    question: redactPersonalData(draftQuestion(ticket)),
    answer: answer.text,
    trimmed: answer.trimmed,
    topics: ticket.topics.length ? ticket.topics : ["allgemein"],
    legal: false,
  };
}

/** "Wie versichere ich den Bürgerbus?" → "wie-versichere-ich-den-buergerbus" (ASCII, at most 6 whole words, 60 characters). */
export function faqSlug(question: string): string {
  const ascii = foldUmlauts(question.toLowerCase())
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  let slug = "";
  for (const w of ascii.split(/[^a-z0-9]+/).filter(Boolean).slice(0, 6)) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > 60) break;
    slug = next;
  }
  return slug || ascii.replace(/[^a-z0-9]/g, "").slice(0, 60) || "frage";
}

/** Topics as typed ("Förderung, Dorf-Fest") in the knowledge's spelling ("foerderung", "dorf_fest"). */
export function parseTopics(input: string): string[] {
  const topics = input.split(/[\s,;]+/).map((t) => foldUmlauts(t.trim().toLowerCase()).replace(/-/g, "_")).filter(Boolean);
  return topics.length ? [...new Set(topics)] : ["allgemein"];
}

/** German problems with a draft, empty when it can be saved. */
/**
 * `published`: whether a phone number or address already stands in the knowledge (an office's number such as the
 * Unfallkasse's, which the shipped entries give): those may be repeated, any other is taken as personal data.
 */
export function faqDraftProblems(d: FaqDraft, published: (contact: string) => boolean = () => false): string[] {
  const problems: string[] = [];
  if (d.question.trim().length < 5) problems.push("Die Frage ist zu kurz.");
  if (d.question.length > FAQ_MAX_QUESTION_CHARS) problems.push(`Die Frage hat ${d.question.length} Zeichen, erlaubt sind höchstens ${FAQ_MAX_QUESTION_CHARS}. Bitte kürzen Sie sie.`);
  const words = countWords(d.answer);
  if (!words) problems.push("Die Antwort fehlt.");
  if (words > FAQ_MAX_WORDS) problems.push(`Die Antwort hat ${words} Wörter, erlaubt sind höchstens ${FAQ_MAX_WORDS}. Bitte kürzen Sie sie.`);
  for (const t of d.topics) if (!/^[a-z0-9_]+$/.test(t)) problems.push(`Thema „${t}“: bitte nur Kleinbuchstaben, Ziffern und _ (z. B. versicherung, dorffest).`);
  for (const [label, text] of [["Frage", d.question], ["Antwort", d.answer]] as const) {
    const personal = personalDataIn(text).filter((x) => !published(x));
    if (personal.length || /\[(Telefon|E-Mail|IBAN) entfernt\]/.test(text))
      problems.push(`${label}: Bitte entfernen Sie Telefonnummern, E-Mail-Adressen und Kontodaten (${personal.map((x) => `„${x}“`).join(", ") || "Platzhalter"}) – die Wissensbasis ist für alle sichtbar. Nummern und Adressen von Ämtern, die schon im Wissen stehen, sind erlaubt.`);
    const names = personalNames(text);
    if (names.length) problems.push(`${label}: Bitte entfernen Sie Namen von Personen (${names.map((n) => `„${n}“`).join(", ")}) – die Wissensbasis ist für alle sichtbar.`);
  }
  return problems;
}

export function faqMarkdown(id: string, d: FaqDraft, stand: string): string {
  // JSON strings are valid YAML double-quoted scalars: quotes, colons and # in the text stay harmless.
  const q = JSON.stringify(d.question.replace(/\s+/g, " ").trim());
  return [
    "---",
    "kind: faq",
    `id: ${id}`,
    `question: ${q}`,
    "alternatives: []",
    `topics: [${d.topics.join(", ")}]`,
    `stand: "${stand}"`,
    `link: "${FAQ_DRAFT_LINK}"`,
    `source: ${JSON.stringify(FAQ_DRAFT_SOURCE)}`,
    `legal: ${d.legal}`,
    "---",
    d.answer.replace(/\r\n/g, "\n").trim(),
    "",
  ].join("\n");
}

/**
 * The FAQ file for a published entry: faq/faq-<slug>.md, never the name of an existing entry (a number is
 * appended), checked with the same parser `npm run ingest` uses (throws IngestError with a German message).
 */
export function prepareFaq(d: FaqDraft, stand: string, taken: (id: string) => boolean): { id: string; file: string; content: string } {
  const base = `faq-${faqSlug(d.question)}`;
  for (let n = 1; n < 100; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (taken(id)) continue;
    const file = `faq/${id}.md`;
    const content = faqMarkdown(id, d, stand);
    parseMarkdownKnowledge(file, content);
    return { id, file, content };
  }
  throw new IngestError(`faq/${base}.md`, "zu viele Einträge mit diesem Namen");
}

/** An existing FAQ file with staff's changes: question, answer, topics, legal and today's Stand; the rest kept. */
export function editedFaq(original: string, file: string, d: FaqDraft, stand: string): string {
  const parsed = matter(original);
  const data = { ...parsed.data, question: d.question.replace(/\s+/g, " ").trim(), topics: d.topics, legal: d.legal, stand };
  delete (data as Record<string, unknown>).draft;
  const content = matter.stringify(`${d.answer.replace(/\r\n/g, "\n").trim()}\n`, data);
  parseMarkdownKnowledge(file, content); // throws IngestError with a German message
  return content;
}

/** The editor's fields from a FAQ file. */
export function faqFields(content: string): FaqDraft {
  const parsed = matter(content);
  const d = parsed.data as { question?: string; topics?: string[]; legal?: boolean };
  return { question: d.question ?? "", answer: parsed.content.trim(), topics: d.topics ?? ["allgemein"], legal: Boolean(d.legal) };
}
