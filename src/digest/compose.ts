import type { DocSummary } from "../retrieval/build-index.js";
import type { Store } from "../store/store.js";
import { germanDate } from "../answer/format.js";
import { topicLabel } from "../core/topic-labels.js";
import { isoWeek } from "../time.js";
import type { Programme } from "../funding/programmes.js";

export interface DigestDeadline {
  date: string;
  label: string;
  programme: string;
  link: string;
}

export interface Digest {
  /** One key per week: deliveries are recorded under it, so each chat gets it once. */
  key: string;
  text: string;
  empty: boolean;
  items: { title: string; summary: string; link?: string; kind?: string; headings?: string[] }[];
  deadlines: DigestDeadline[];
  /** The most asked topic of the week; in a week without questions an FAQ entry in turn (`rotation`). */
  questionOfWeek?: { topic: string; example: string; answer?: string; rotation?: true };
  /** Nothing in the window: the next known deadline after it (shown, but the digest still counts as empty). */
  nextDeadline?: DigestDeadline;
}

const DAY = 86_400_000;
const MAX_ITEMS = 5;

/** Day string in the digest's time zone (deadlines are calendar days, not instants). */
function localDay(d: Date, timezone: string): string {
  return d.toLocaleDateString("en-CA", { timeZone: timezone });
}

/** All deadlines from the knowledge metadata that fall in [today, today + days], yearly ones rolled forward. */
export function upcomingDeadlines(docs: DocSummary[], now: Date, days: number, timezone: string): DigestDeadline[] {
  const today = localDay(now, timezone);
  const until = localDay(new Date(now.getTime() + days * DAY), timezone);
  const seen = new Set<string>();
  const out: DigestDeadline[] = [];
  for (const d of docs) {
    for (const f of d.funding) {
      for (const dl of f.deadlines) {
        let date = dl.date;
        if (dl.yearly) {
          const year = Number(today.slice(0, 4));
          date = `${year}${dl.date.slice(4)}`;
          if (date < today) date = `${year + 1}${dl.date.slice(4)}`;
        }
        if (date < today || date > until) continue;
        const key = `${f.id}|${date}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ date, label: dl.label, programme: f.programme, link: f.link });
      }
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** Calendar days from `today` to `date` (both YYYY-MM-DD). */
function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY);
}

function deadlineLine(d: DigestDeadline, today: string): string {
  const left = daysBetween(today, d.date);
  const when = left === 0 ? "heute letzter Tag" : left === 1 ? "noch 1 Tag" : `noch ${left} Tage`;
  return `• ${germanDate(d.date)} (${when}): ${d.programme} – ${d.label}${d.link ? `\n  ${d.link}` : ""}`;
}

/** An issue's own page when the server's address is known, else the issue's link. */
function issueLink(d: DocSummary, publicUrl?: string): string | undefined {
  return d.kind === "newsletter" && d.issue && publicUrl ? `${publicUrl.replace(/\/+$/, "")}/newsletter/${d.issue}` : d.link;
}

/** An issue in a few lines: title, up to three of its sections, its link. */
function issueLines(i: { title: string; summary: string; link?: string; headings?: string[] }): string {
  const what = i.headings?.length ? i.headings.slice(0, 3).map((h) => `  – ${h}`).join("\n") : i.summary ? `  ${i.summary}` : "";
  return `• ${i.title}${what ? `\n${what}` : ""}${i.link ? `\n  ${i.link}` : ""}`;
}

/**
 * Application deadlines of the Förder-Finder's programmes in [today, today + days]. A programme the
 * newsletters already list with the same date is left out, so each deadline appears once.
 */
export function programmeDeadlines(programmes: Programme[], now: Date, days: number, timezone: string, already: DigestDeadline[]): DigestDeadline[] {
  const today = localDay(now, timezone);
  const until = localDay(new Date(now.getTime() + days * DAY), timezone);
  return programmes
    .filter((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.deadline) && p.deadline >= today && p.deadline <= until)
    .filter((p) => !already.some((d) => d.date === p.deadline && (d.programme === p.name || p.names.some((n) => d.programme.toLowerCase().includes(n.toLowerCase())))))
    .map((p) => ({ date: p.deadline, label: "Antragsfrist", programme: p.name, link: p.link ?? "" }));
}

/**
 * The weekly digest: what is new since the last one, deadlines in the window, the most asked topic
 * (anonymised: a topic and a question from the knowledge base, never a mayor's words), how to ask.
 */
export async function composeDigest(opts: {
  docs: DocSummary[];
  baselineAt?: string;
  store: Store;
  now: Date;
  deadlineDays: number;
  timezone: string;
  /** The Förder-Finder's programmes: their deadlines in the window are listed too. */
  programmes?: Programme[];
  /** Public address of this server: an issue links to its own page (/newsletter/<nr>). */
  publicUrl?: string;
}): Promise<Digest> {
  const { docs, store, now } = opts;
  const lastSent = await store.getState("digest:lastSentAt");
  const since = lastSent ?? new Date(now.getTime() - 7 * DAY).toISOString();
  const sinceDay = since.slice(0, 10);
  const today = localDay(now, opts.timezone);
  const baseline = opts.baselineAt ?? "";
  // New: changed after the first index build, or a newsletter whose issue date falls in the period.
  // Issues and FAQ entries each up to MAX_ITEMS: an edited FAQ entry (dated today) pushed two issues published the
  // same day with older issue dates out of the list, and mayors never heard of them (user test).
  const changed = docs
    .filter((d) => (d.updatedAt > since && d.updatedAt > baseline) || (d.kind === "newsletter" && d.date && d.date > sinceDay && d.date <= today))
    .sort((a, b) => (b.date ?? b.updatedAt).localeCompare(a.date ?? a.updatedAt));
  const fresh = [...changed.filter((d) => d.kind === "newsletter").slice(0, MAX_ITEMS), ...changed.filter((d) => d.kind !== "newsletter").slice(0, MAX_ITEMS)]
    .map((d) => ({ title: d.title, summary: d.summary, link: issueLink(d, opts.publicUrl), kind: d.kind, headings: d.headings }));
  const fromNewsletters = upcomingDeadlines(docs, now, opts.deadlineDays, opts.timezone);
  const deadlines = [...fromNewsletters, ...programmeDeadlines(opts.programmes ?? [], now, opts.deadlineDays, opts.timezone, fromNewsletters)].sort((a, b) => a.date.localeCompare(b.date));

  let nextDeadline: DigestDeadline | undefined;
  if (!deadlines.length) {
    const year = upcomingDeadlines(docs, now, 366, opts.timezone);
    nextDeadline = [...year, ...programmeDeadlines(opts.programmes ?? [], now, 366, opts.timezone, year)].sort((a, b) => a.date.localeCompare(b.date))[0];
  }

  const counts = await store.topicCounts(new Date(now.getTime() - 7 * DAY).toISOString(), "all");
  let questionOfWeek: Digest["questionOfWeek"];
  const top = counts.find((c) => c.topic !== "(ohne Thema)");
  if (top && top.count >= 2) {
    const faq = docs.find((d) => d.kind === "faq" && d.topics[0] === top.topic) ?? docs.find((d) => d.kind === "faq" && d.topics.includes(top.topic));
    if (faq) questionOfWeek = { topic: topicLabel(top.topic), example: faq.title, ...(faq.summary ? { answer: faq.summary } : {}) };
  }
  if (!questionOfWeek) {
    // A week without questions: one FAQ entry after the other (by week number), not one just listed as new.
    const shown = new Set(fresh.map((f) => f.title));
    const faqs = docs.filter((d) => d.kind === "faq" && d.summary && !shown.has(d.title)).sort((a, b) => a.id.localeCompare(b.id));
    const week = Number(isoWeek(now.toISOString()).slice(-2)) + 53 * Number(isoWeek(now.toISOString()).slice(0, 4));
    const pick = faqs.length ? faqs[week % faqs.length] : undefined;
    if (pick) questionOfWeek = { topic: topicLabel(pick.topics[0] ?? "allgemein"), example: pick.title, answer: pick.summary, rotation: true };
  }

  // A rotating FAQ or a far deadline alone is no news: such a week still counts as empty (DIGEST_SEND_EMPTY).
  const empty = !fresh.length && !deadlines.length && (!questionOfWeek || Boolean(questionOfWeek.rotation));
  const lines: string[] = [`Ortslotse – Wochenüberblick (${germanDate(today)})`];
  if (empty) lines.push("", "Diese Woche gibt es keine neuen Meldungen.");
  // The newest issue first, with its link; new FAQ entries by their question only (no long raw links).
  const issues = fresh.filter((i) => i.kind === "newsletter");
  const faqs = fresh.filter((i) => i.kind !== "newsletter");
  if (issues.length) {
    lines.push("", "Neuer Newsletter:");
    for (const i of issues) lines.push(issueLines(i));
  }
  if (faqs.length) {
    lines.push("", "Neu in unseren Unterlagen:");
    for (const i of faqs) lines.push(`• ${i.title}${i.summary ? ` – ${i.summary}` : ""}`);
  }
  if (deadlines.length) {
    lines.push("", `Fristen in den nächsten ${Math.round(opts.deadlineDays / 7)} Wochen:`);
    for (const d of deadlines) lines.push(deadlineLine(d, today));
  } else if (nextDeadline) {
    lines.push("", `Keine Frist in den nächsten ${Math.round(opts.deadlineDays / 7)} Wochen. Die nächste bekannte:`, deadlineLine(nextDeadline, today));
  }
  if (questionOfWeek) {
    lines.push("", questionOfWeek.rotation ? "Frage der Woche aus unseren häufigen Fragen:" : `Frage der Woche – Thema „${questionOfWeek.topic}“:`,
      `„${questionOfWeek.example}“`, ...(questionOfWeek.answer ? [questionOfWeek.answer] : []), "Mehr dazu? Fragen Sie mich einfach.");
  }
  if (!issues.length) {
    // Nothing new from the newsletter: the current issue, so the overview always points to it.
    const current = docs.filter((d) => d.kind === "newsletter" && d.date && d.date <= today).sort((a, b) => b.date!.localeCompare(a.date!))[0];
    if (current) lines.push("", "Aktueller Newsletter:", issueLines({ title: current.title, summary: current.summary, link: issueLink(current, opts.publicUrl), headings: current.headings }));
  }
  lines.push("", "So fragen Sie: Schreiben Sie mir Ihre Frage einfach als Nachricht – in Gruppen mit @-Erwähnung oder /frage. Ausschalten: /digest aus");
  return { key: `digest-${isoWeek(now.toISOString())}`, text: lines.join("\n"), empty, items: fresh, deadlines, questionOfWeek, ...(nextDeadline ? { nextDeadline } : {}) };
}
