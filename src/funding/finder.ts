import type { Applicant, Programme } from "./programmes.js";
import { normalisePlaceText, type Places } from "../language/places.js";
import { Purposes } from "./purposes.js";
import { germanDate } from "../answer/format.js";

export type DeadlineState = "open" | "ongoing" | "expired" | "unknown";

export interface Deadline {
  state: DeadlineState;
  /** For people: "bis 30. April 2027, noch 150 Tage", "abgelaufen (Frist war 15. September 2023) – nächster Aufruf unbekannt". */
  text: string;
  /** The same in one short line (a list shows many programmes): without the entry's note. */
  short: string;
  date?: string;
  daysLeft?: number;
}

const DAY = 86_400_000;

/** Days from today (local calendar day) to an ISO date. */
function daysUntil(iso: string, today: Date): number {
  const [y, m, d] = iso.split("-").map(Number);
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((Date.UTC(y, m - 1, d) - start) / DAY);
}

/** Where a programme's deadline stands on `today`. A passed date is "abgelaufen", never open. */
export function deadlineOf(p: Programme, today: Date): Deadline {
  if (p.deadline === "beendet") {
    const text = "Programm beendet – kein neuer Aufruf bekannt";
    return { state: "expired", text: p.deadline_note ? `${text} (${p.deadline_note})` : text, short: text };
  }
  if (p.deadline === "laufend") return { state: "ongoing", text: "Anträge laufend möglich", short: "Anträge laufend möglich" };
  if (p.deadline === "unbekannt") {
    const short = "nicht bekannt – bitte beim Geldgeber nachfragen";
    return { state: "unknown", text: p.deadline_note ? `nicht bekannt (${p.deadline_note})` : short, short };
  }
  const days = daysUntil(p.deadline, today);
  const date = germanDate(p.deadline);
  if (days < 0) {
    const text = `abgelaufen (Frist war ${date}) – nächster Aufruf unbekannt`;
    return { state: "expired", text, short: text, date: p.deadline, daysLeft: days };
  }
  const left = days === 0 ? "heute ist der letzte Tag" : days === 1 ? "noch 1 Tag" : `noch ${days} Tage`;
  return { state: "open", text: `bis ${date}, ${left}`, short: `bis ${date}, ${left}`, date: p.deadline, daysLeft: days };
}

export interface FundingMatch {
  programme: Programme;
  /** Purposes of the question this programme funds. */
  purposes: string[];
  deadline: Deadline;
}

export interface FundingSearch {
  purposes: string[];
  /** No programme names the purposes themselves; these wider fields were searched instead. */
  broader?: string[];
  applicant?: Applicant;
  matches: FundingMatch[];
  /** Who applies matters and is not known: the applicants to ask about (empty: no need to ask). */
  askApplicant: Applicant[];
  /** What the money is for was read from the story before the question ("Wer fördert sowas?"). */
  fromStory?: boolean;
  /** Programmes that fit as well but are not shown (the list shows the first few). */
  more?: number;
  /** The knowledge entries the question is about (ids): a programme built on one of them comes first. */
  about?: string[];
}

const MAX_RESULTS = 4;

/**
 * A programme only private persons apply for ("Dorferneuerung – private Maßnahmen"): listed only when the message says
 * private persons ask ("ein junges Paar", "Hausbesitzer"). A mayor asking for the village read "höchstens 30.000 Euro
 * je Objekt" as money for the playground (user test, December 2026).
 */
function onlyForPrivatePersons(p: Programme): boolean {
  return p.applicants.length > 0 && p.applicants.every((a) => a === "privat");
}
const ORDER: Applicant[] = ["gemeinde", "verein", "initiative", "privat"];

/**
 * The Förder-Finder: from "wir brauchen Geld für X" to the programmes whose entries fund X, ranked by how
 * much of the purpose they cover, then whether the applicant fits, then whether a deadline is still open.
 * Everything shown comes from knowledge/programmes/*.yaml; no LLM is needed.
 */
export class FundingFinder {
  constructor(
    readonly programmes: Programme[],
    readonly purposes: Purposes = new Purposes(),
    /** The county's places: a question naming its Gemeinde or VG is not given a LAG's money from elsewhere. */
    private places?: Places,
  ) {}

  /** The Verbandsgemeinden of the places a text names (normalised "vg konz"), empty when it names none. */
  private vgsNamed(text: string): string[] {
    return [...new Set((this.places?.find(text) ?? []).flatMap((p) => p.covers.filter((c) => c.startsWith("vg "))))];
  }

  /**
   * A money question that names a programme ("Wer fördert einen Bürgerbus bei uns?"), as a list of that one: shown
   * while staff look at it when no entry answers the question surely. undefined without a named programme or money.
   */
  named(text: string, today: Date): FundingSearch | undefined {
    const p = this.namedProgramme(text);
    const r = this.purposes.read(text);
    if (!p || !r.money) return undefined;
    const asked = r.purposes.filter((x) => p.purposes.includes(x));
    const purposes = asked.length ? asked : p.purposes.slice(0, 1);
    return { purposes, applicant: r.applicant, matches: [{ programme: p, purposes, deadline: deadlineOf(p, today) }], askApplicant: [] };
  }

  /** The programme a message names ("LEADER", "Kreisstiftung"): then the entries answer, not the finder. */
  namedProgramme(text: string): Programme | undefined {
    const low = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}-]+/gu, " ")} `;
    return this.programmes.find((p) => p.names.some((n) => low.includes(` ${n.toLowerCase()}`)));
  }

  /**
   * A search for funding: the message asks for money and names a purpose, and no programme by name.
   * undefined when it is not one (the message goes the usual way). `story`: what the message tells around its
   * question. When the question asks for money without naming what for and points at that story ("Wer fördert
   * sowas?", "Gibt es dafür Zuschüsse?"), the purpose and the applicant are read from the story (`fromStory`);
   * that money is asked for is read from the question only ("wir geben dem Verein 300 Euro Zuschuss" in a story
   * is no search).
   */
  search(text: string, today: Date, applicant?: Applicant, story = "", about: string[] = []): FundingSearch | undefined {
    if (!this.programmes.length) return undefined;
    const r = this.purposes.read(text);
    if (this.namedProgramme(text)) return undefined;
    const where = this.vgsNamed(`${story} ${text}`);
    if (r.money && r.purposes.length) return this.match(r.purposes, applicant ?? r.applicant, today, where, about);
    if (r.purposes.length || !story.trim() || !this.purposes.asksMoneyForStory(text) || this.namedProgramme(story)) return undefined;
    const told = this.purposes.readStory(story);
    if (!told.purposes.length) return undefined;
    return { ...this.match(told.purposes, applicant ?? r.applicant ?? told.applicant, today, where, about), fromStory: true };
  }

  /**
   * `where`: the Verbandsgemeinden the question names (normalised "vg konz"); a programme for others is left out.
   * `about`: the entries the question may be about, likeliest first; the programmes built on the first of them that
   * any programme is built on come first among equals.
   */
  match(purposes: string[], applicant: Applicant | undefined, today: Date, where: string[] = [], about: string[] = []): FundingSearch {
    const keep = about.length ? { about } : {};
    const direct = this.rank(purposes, applicant, today, where, about);
    if (direct.length) return this.withMore(this.withAsk({ purposes, applicant, matches: direct.slice(0, MAX_RESULTS), askApplicant: [], ...keep }), direct.length);
    const broader = this.purposes.broader(purposes);
    const wider = broader.length ? this.rank(broader, applicant, today, where, about) : [];
    return this.withMore(this.withAsk({ purposes, broader, applicant, matches: wider.slice(0, MAX_RESULTS), askApplicant: [], ...keep }), wider.length);
  }

  /** How many more programmes fit than the list shows (a user test missed the Dorferneuerung, fifth for a Dorftreff). */
  private withMore(search: FundingSearch, total: number): FundingSearch {
    return total > search.matches.length ? { ...search, more: total - search.matches.length } : search;
  }

  private rank(purposes: string[], applicant: Applicant | undefined, today: Date, where: string[] = [], about: string[] = []): FundingMatch[] {
    const openHere = (p: Programme) => !p.vgs?.length || !where.length || p.vgs.some((v) => where.includes(normalisePlaceText(`VG ${v}`)));
    const fitting = this.programmes
      .map((p) => ({ programme: p, purposes: purposes.filter((x) => p.purposes.includes(x)), deadline: deadlineOf(p, today) }))
      .filter((m) => m.purposes.length && openHere(m.programme) && (applicant ? !m.programme.applicants.length || m.programme.applicants.includes(applicant) : !onlyForPrivatePersons(m.programme)));
    // The likeliest entry the question is about that any fitting programme is built on.
    const subject = about.find((id) => fitting.some((m) => m.programme.sources.includes(id)));
    const scored = fitting
      .map((m) => ({
        m,
        // More of the asked purposes first; among those, a programme built on an entry about the very thing asked
        // ("Gibt es Geld für eine Mitfahrbank?": the programmes the Mitfahrbank entry names, not the Bürgerbus grant
        // that merely funds mobility too); a programme for few purposes is more specific; an open deadline
        // before an unknown one; an expired call last.
        score: 10 * m.purposes.length + (subject && m.programme.sources.includes(subject) ? 5 : 0) + 3 / m.programme.purposes.length + (m.deadline.state === "open" || m.deadline.state === "ongoing" ? 1 : 0) - (m.deadline.state === "expired" ? 5 : 0),
      }))
      .sort((a, b) => b.score - a.score || a.m.programme.name.localeCompare(b.m.programme.name, "de"));
    return scored.map((s) => s.m);
  }

  private withAsk(search: FundingSearch): FundingSearch {
    const { matches, applicant } = search;
    let askApplicant: Applicant[] = [];
    if (!applicant) {
      // Ask only when the answer would narrow the list: some programme is not open to every applicant.
      const all = new Set(matches.flatMap((m) => m.programme.applicants));
      const narrows = matches.some((m) => m.programme.applicants.length && [...all].some((a) => !m.programme.applicants.includes(a)));
      if (all.size > 1 && narrows) askApplicant = ORDER.filter((a) => all.has(a));
    }
    return { ...search, askApplicant };
  }

  /** Programmes with a deadline from today on, soonest first (within `days`, if given). */
  upcoming(today: Date, days?: number): FundingMatch[] {
    return this.programmes
      .map((p) => ({ programme: p, purposes: [], deadline: deadlineOf(p, today) }))
      .filter((m) => m.deadline.state === "open" && (days === undefined || m.deadline.daysLeft! <= days))
      .sort((a, b) => a.deadline.daysLeft! - b.deadline.daysLeft!);
  }
}
