import type { TicketRecord, TicketStatus } from "../../store/store.js";
import { additionsLabel, ageLabel, askedBefore, BEFORE_LABEL, channelLabel, reasonLabel, shorten, STATUS_LABEL, unansweredAdditions } from "../format.js";
import { html, raw, type SafeHtml } from "./html.js";
import { page, type PageSession } from "./layout.js";

const CSS = raw(`
.summary { display:flex; gap:8px; flex-wrap:wrap; margin:0 0 8px; }
.summary a { text-decoration:none; }
.ticket { display:block; color:inherit; text-decoration:none; }
.ticket:hover { border-color:var(--blue); }
.ticket .meta { display:flex; flex-wrap:wrap; gap:4px 12px; font-size:.88rem; color:var(--muted); align-items:center; }
.ticket .meta .no { font-weight:700; color:var(--text); }
.ticket .q { margin:6px 0 4px; font-size:1.02rem; overflow-wrap:anywhere; }
.ticket .who { font-size:.88rem; }
.empty { color:var(--muted); font-style:italic; }
.search { display:flex; gap:8px; flex-wrap:wrap; align-items:flex-end; margin:0 0 12px; }
.search label { display:flex; flex-direction:column; gap:4px; flex:1 1 16rem; font-weight:600; }
.search input { min-height:44px; font-size:1rem; }
.search button { min-height:44px; }
.pager { display:flex; gap:12px; flex-wrap:wrap; margin:8px 0; font-size:.95rem; }
`);

export const LIST_ORDER: TicketStatus[] = ["open", "claimed", "answered", "closed"];
const HEADINGS: Record<TicketStatus, string> = {
  open: "Offen – wartet auf das Team",
  claimed: "Übernommen – in Bearbeitung",
  answered: "Beantwortet – bitte prüfen und auf „Erledigt“ setzen",
  closed: "Erledigt (zuletzt)",
};

export function mayorLabel(t: TicketRecord): string {
  const who = t.userName?.trim() || "Name unbekannt";
  return t.village ? `${who}, ${t.village}` : who;
}

function ticketCard(t: TicketRecord, remindHours: number, now: number): SafeHtml {
  const late = (t.status === "open" || t.status === "claimed") && now - Date.parse(t.createdAt) > remindHours * 3600_000;
  return html`<a class="card ticket" href="/staff/tickets/${t.id}">
  <div class="meta"><span class="no">Nr. ${t.id}</span>
    <span class="badge ${t.status}">${STATUS_LABEL[t.status]}</span>
    <span class="${late ? "badge late" : ""}">${ageLabel(t.createdAt, now)}</span>
    <span>${channelLabel(t.channel)}</span><span>${reasonLabel(t.reason)}</span></div>
  ${askedBefore(t) ? html`<div class="muted">${BEFORE_LABEL} ${shorten(askedBefore(t)!, 160)}</div>` : ""}
  <div class="q">${shorten(t.question, 220)}</div>
  ${unansweredAdditions(t).length ? html`<div class="more">${additionsLabel(unansweredAdditions(t).length)}</div>` : ""}
  <div class="who muted">${mayorLabel(t)}${t.staffMember ? html` · bearbeitet von ${t.staffMember}` : ""}</div>
</a>`;
}

/** Tickets per state shown on one page; the waiting ones are paged oldest first, so none drops out of sight. */
export const PAGE_SIZE = 100;
/** Most Vorgänge a search lists (newest first), and the longest search text read. */
export const SEARCH_LIMIT = 50;
export const MAX_SEARCH_LENGTH = 200;

function searchForm(value = ""): SafeHtml {
  return html`<form class="search" method="get" action="/staff" role="search">
  <label for="suche">Vorgang suchen <span class="muted">(Nummer, Name, Ortsgemeinde oder ein Wort aus der Frage)</span>
    <input id="suche" name="suche" type="search" value="${value}" maxlength="${MAX_SEARCH_LENGTH}" autocomplete="off"></label>
  <button type="submit">Suchen</button>
</form>`;
}

export function ticketListPage(opts: {
  session: PageSession;
  tickets: TicketRecord[];
  remindHours: number;
  notice?: string;
  /** All tickets per state (not just this page). */
  counts?: Record<TicketStatus, number>;
  /** 1-based page of the waiting (open, claimed) tickets. */
  page?: number;
  /** The search typed by staff: `tickets` are its results (all states, newest first). */
  search?: string;
}): string {
  const now = Date.now();
  if (opts.search !== undefined) {
    const n = opts.tickets.length;
    return page({
      title: "Vorgänge – Suche",
      session: opts.session,
      active: "tickets",
      extraCss: CSS,
      body: html`<h1>Vorgänge</h1>
${searchForm(opts.search)}
<h2 role="status">${n ? `${n >= SEARCH_LIMIT ? `Die neuesten ${n}` : n} ${n === 1 ? "Vorgang passt" : "Vorgänge passen"} zu „${opts.search}“` : `Kein Vorgang passt zu „${opts.search}“.`}</h2>
${n ? opts.tickets.map((t) => ticketCard(t, opts.remindHours, now)) : html`<p class="empty">Versuchen Sie ein anderes Wort, einen Namen oder die Vorgangsnummer.</p>`}
<p><a href="/staff">← Alle Vorgänge</a></p>`,
    });
  }
  // Waiting tickets oldest first (that is the work queue); answered and closed ones newest first.
  const byAge = (waiting: boolean) => (a: TicketRecord, b: TicketRecord) => (waiting ? a.id - b.id : b.id - a.id);
  const groups = LIST_ORDER.map((s) => ({
    status: s,
    items: opts.tickets.filter((t) => t.status === s).sort(byAge(s === "open" || s === "claimed")),
    total: opts.counts?.[s] ?? opts.tickets.filter((t) => t.status === s).length,
  }));
  const current = opts.page ?? 1;
  const waiting = Math.max(opts.counts?.open ?? 0, opts.counts?.claimed ?? 0);
  const pages = Math.max(1, Math.ceil(waiting / PAGE_SIZE));
  const pager = pages > 1
    ? html`<nav class="pager" aria-label="Seiten">${current > 1 ? html`<a href="/staff?seite=${current - 1}">← ältere Seite zurück</a> ` : ""}<span>Seite ${current} von ${pages} (offene und übernommene Vorgänge, älteste zuerst)</span>${current < pages ? html` <a href="/staff?seite=${current + 1}">weitere Vorgänge →</a>` : ""}</nav>`
    : "";
  return page({
    title: "Vorgänge",
    session: opts.session,
    active: "tickets",
    extraCss: CSS,
    body: html`<h1>Vorgänge</h1>
${opts.notice ? html`<p class="notice ok" role="status">${opts.notice}</p>` : ""}
${searchForm()}
<p class="summary">${groups.map((g) => html`<a href="#${g.status}" class="badge ${g.status}">${STATUS_LABEL[g.status]}: ${g.total}</a>`)}</p>
${pager}
${groups.map(
  (g) => html`<section id="${g.status}" aria-labelledby="h-${g.status}">
  <h2 id="h-${g.status}">${HEADINGS[g.status]} (${g.total}${g.total > g.items.length ? html`, hier ${g.items.length}` : ""})</h2>
  ${g.items.length ? g.items.map((t) => ticketCard(t, opts.remindHours, now)) : html`<p class="empty">Keine Vorgänge${g.total ? " auf dieser Seite" : ""}.</p>`}
</section>`,
)}
${pager}`,
  });
}
