import { MSG } from "../core/messages.js";
import type { Source } from "../core/types.js";
import { germanMonth } from "../answer/format.js";
import type { FundingMatch, FundingSearch } from "./finder.js";
import type { Purposes } from "./purposes.js";
import type { Applicant, Programme } from "./programmes.js";

/** The text a mayor types (or a button sends) to name who applies: "/foerder verein". */
export const CHOICE_COMMAND = "/foerder";

function list(items: string[], joiner = "und"): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${joiner} ${items[items.length - 1]}`;
}

/** Purpose labels contain "und" themselves ("Kinder und Jugend"): several are quoted. */
function labels(items: string[], joiner = "und"): string {
  return items.length <= 1 ? items.join("") : list(items.map((x) => `„${x}“`), joiner);
}

/** One programme as a few short lines: name, why it fits, rate, amount, own share, deadline, contact. */
function programmeLines(m: FundingMatch, purposes: Purposes, n: number): string {
  const p = m.programme;
  const who = list(p.applicants.map((a) => purposes.applicantLabel(a)));
  return [
    `${n}. ${p.name} – ${p.funder}`,
    MSG.funding.why(labels(m.purposes.map((x) => purposes.label(x))), who),
    // A LAG's money is only for its own area: read before the amounts, which otherwise look open to every village.
    p.area ? MSG.funding.area(p.area) : "",
    // What every project must be ("inklusiv"): a Dorftreff is not funded by the Aktion Mensch just for being one.
    p.condition ? MSG.funding.condition(p.condition) : "",
    // The rate first: an amount may be an example for one kind of project ("Fortschreibung eines Konzepts: höchstens
    // 9.000 Euro") and read as the programme's limit for a roof.
    p.rate ? MSG.funding.rate(p.rate) : "",
    p.amount ? MSG.funding.amount(p.amount) : "",
    p.own_share ? MSG.funding.ownShare(p.own_share) : "",
    // An unknown deadline with a note says why ("Modellprojekt mit ausgewählten Läden; ein Antragsweg … nicht beschrieben").
    MSG.funding.deadline(m.deadline.state === "unknown" && p.deadline_note ? m.deadline.text : m.deadline.short),
    p.contact ? MSG.funding.contact(p.contact) : "",
  ].filter(Boolean).join("\n");
}

export interface FundingReplyParts {
  text: string;
  sources: Source[];
  stand?: string;
  choices?: { label: string; text: string }[];
  /** The question the choices answer ("Wer soll den Antrag stellen? …"): it goes last, right above its buttons. */
  ask?: string;
}

/** The Förder-Finder's answer: the ranked list, what it does not know, and (if it matters) who applies. */
export function describeFunding(search: FundingSearch, purposes: Purposes, opts: { handedOver?: boolean } = {}): FundingReplyParts {
  const what = labels(search.purposes.map((x) => purposes.label(x)));
  const who = search.applicant ? purposes.applicantLabel(search.applicant) : "";
  if (!search.matches.length) return { text: MSG.funding.none(what, who), sources: [] };
  const head = search.broader ? MSG.funding.broader(what, labels(search.broader.map((x) => purposes.label(x)), "oder"), who) : MSG.funding.intro(what, who);
  const body = search.matches.map((m, i) => programmeLines(m, purposes, i + 1));
  const ask = search.askApplicant.length && !opts.handedOver ? [MSG.funding.askApplicant] : [];
  // The list is cut: the mayor learns that more fit, and how to see them (not under a hand-over: staff look).
  const more = search.more && !opts.handedOver ? [MSG.funding.more(search.more, ask.length > 0)] : [];
  return {
    text: [head, ...body, ...more, ...(opts.handedOver ? [] : [MSG.funding.unknown])].join("\n\n"),
    ...(ask.length ? { ask: ask[0] } : {}),
    sources: search.matches.map((m) => programmeSource(m.programme)),
    stand: oldestStand(search.matches.map((m) => m.programme)),
    choices: ask.length ? applicantChoices(search.askApplicant, purposes) : undefined,
  };
}

/** A list's Stand: that of its oldest programme text (the list is only as current as its oldest part). */
export function oldestStand(programmes: Programme[]): string | undefined {
  return germanMonth(programmes.map((p) => p.stand).sort()[0]);
}

/** The buttons answering "Wer soll den Antrag stellen?": each sends the choice command for one applicant. */
export function applicantChoices(applicants: Applicant[], purposes: Purposes): { label: string; text: string }[] {
  return applicants.map((a) => ({ label: purposes.applicantLabel(a), text: `${CHOICE_COMMAND} ${a}` }));
}

/** A source id that names a programme (knowledge/programmes), not a passage. */
export const PROGRAMME_SOURCE = "programm:";

/** A programme as a source under the Förder-Finder's list (and again after a reload of the web chat). */
export function programmeSource(p: Programme): Source {
  return { id: `${PROGRAMME_SOURCE}${p.id}`, kind: "faq", title: p.name, url: p.link, excerpt: p.summary, stand: germanMonth(p.stand) };
}

/** "/fristen": the coming deadlines, soonest first. */
export function describeDeadlines(upcoming: FundingMatch[]): string {
  if (!upcoming.length) return `${MSG.funding.deadlinesNone}\n\n${MSG.funding.deadlinesNote}`;
  const lines = upcoming.map((m) => `• ${m.programme.name}: ${m.deadline.text}`);
  return [MSG.funding.deadlinesTitle, lines.join("\n"), MSG.funding.deadlinesNote].join("\n\n");
}

/** "Und bis wann?" after a list: each listed programme's deadline, in the list's order (also closed and unknown ones). */
export function describeListedDeadlines(listed: FundingMatch[]): string {
  const lines = listed.map((m) => `• ${m.programme.name}: ${m.deadline.text}`);
  return [MSG.funding.listedDeadlinesTitle, lines.join("\n"), MSG.funding.listedDeadlinesNote].join("\n\n");
}
