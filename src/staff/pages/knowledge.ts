import type { KnowledgeDoc } from "../../retrieval/knowledge-types.js";
import type { DocSummary } from "../../retrieval/build-index.js";
import type { PublishedEntry } from "../../knowledge/published.js";
import { germanDate } from "../../answer/format.js";
import { FAQ_MAX_QUESTION_CHARS, FAQ_MAX_WORDS } from "../../retrieval/knowledge-schema.js";
import type { FaqDraft } from "../faq-draft.js";
import type { Programme } from "../../funding/programmes.js";
import type { Deadline } from "../../funding/finder.js";
import type { Purposes } from "../../funding/purposes.js";
import { APPLICANTS } from "../../funding/programmes.js";
import { PROGRAMME_FIELD_LABELS, type ProgrammeDraft } from "../programme-draft.js";
import { html, raw, type SafeHtml } from "./html.js";
import { csrfField, page, problemList, type PageSession } from "./layout.js";

const CSS = raw(`
table { border-collapse:collapse; width:100%; background:#fff; font-size:.92rem; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
td form { margin:0; }
tr.saved td { background:#eef6ee; }
/* Opened at the row just saved: the sticky header must not cover it. */
tr[id] { scroll-margin-top:90px; }
.small { font-size:.85rem; }
.sections li { margin:0 0 6px; }
.warn { color:var(--warn); }
input[type=file] { font:inherit; margin:6px 0 10px; }
@media (max-width:600px) { .entries thead { display:none; } .entries tr { display:block; border-bottom:1px solid var(--line); padding:6px 0; } .entries td { display:block; border:0; padding:2px 8px; } .entries td[data-label]::before { content:attr(data-label) ": "; color:var(--muted); } }
`);

const dateOf = (iso?: string) => (iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? germanDate(iso.slice(0, 10)) : "–");

export interface KnowledgeRow {
  doc: DocSummary;
  entry?: PublishedEntry;
  stale: boolean;
  /** Answers that used it in the last 12 weeks. */
  used: number;
}

/** A funding programme of the Förder-Finder as the Wissen page lists it. */
export interface ProgrammeRow {
  programme: Programme;
  deadline: Deadline;
  entry?: PublishedEntry;
  stale: boolean;
}

/** A newsletter's funding note (its `funding` block) that no programme of the Förder-Finder covers yet. */
export interface FundingNote {
  docTitle: string;
  programme: string;
  /** The query of the prefilled form ("aus=nl-2026-12&foerderung=…" or "…&abschnitt=<heading>"). */
  query: string;
}

/** What kind of knowledge file a path is, in the words of the page. */
const kindOf = (path: string) => (path.startsWith("faq/") ? "FAQ" : path.startsWith("programmes/") ? "Förderprogramm" : "Newsletter");

export function knowledgePage(opts: { session: PageSession; rows: KnowledgeRow[]; programmes: ProgrammeRow[]; retired: PublishedEntry[]; notice?: { kind: "ok" | "err" | "info"; text: string }; staleMonths: number;
  /** The notice belongs to the programmes (after saving one): shown there, where the page opens. */
  noticeAtProgrammes?: boolean;
  /** The id of the entry just saved: the page opens at its row, which says so. */
  saved?: string;
  /** Funding notes of recent newsletters that no programme covers yet. */
  fundingNotes?: FundingNote[] }): string {
  const s = opts.session;
  const row = (r: KnowledgeRow): SafeHtml => {
    const last = r.entry?.log.at(-1);
    const origin = last ? html`${last.action} von ${last.by}, ${dateOf(last.at)}` : html`mitgeliefert <span class="muted small">(Datei knowledge/${r.doc.file})</span>`;
    const justSaved = opts.saved === r.doc.id;
    return html`<tr id="e-${r.doc.id}"${justSaved ? raw(' class="saved"') : ""}>
      <td>${r.doc.kind === "newsletter" ? "Newsletter" : "FAQ"}</td>
      <td>${justSaved && opts.notice ? html`<div class="notice ${opts.notice.kind}">${opts.notice.text}</div>` : ""}<strong>${r.doc.title}</strong><div class="muted small">${r.doc.id} · ${r.doc.topics.map((t) => t.replace(/_/g, " ")).join(", ")}</div>${r.doc.kind === "newsletter" && r.doc.headings?.length ? html`<div class="muted small">${r.doc.headings.join(" · ")}</div>` : ""}${r.doc.summary ? html`<span hidden>${r.doc.summary}</span>` : ""}</td>
      <td>${dateOf(r.doc.stand ?? r.doc.date)}${r.stale ? html` <span class="badge late">älter als ${opts.staleMonths} Monate</span>` : ""}</td>
      <td class="small">${origin}</td>
      <td class="small" data-label="in Antworten (12 Wochen)">${r.used}</td>
      <td>${r.doc.kind === "faq" ? html`<a class="button secondary" style="background:#fff;color:var(--blue);margin-bottom:4px" href="/staff/wissen/faq?path=${encodeURIComponent(r.doc.file)}">Bearbeiten</a>` : ""}<form method="post" action="/staff/wissen/zurueckziehen" data-confirm="„${r.doc.title}“ aus dem Wissen nehmen? Der Ortslotse gibt Fragen dazu dann an Sie weiter.">${csrfField(s)}<input type="hidden" name="path" value="${r.doc.file}"><button type="submit" class="secondary">Zurückziehen</button></form></td>
    </tr>`;
  };
  const programme = (r: ProgrammeRow): SafeHtml => {
    const p = r.programme;
    const last = r.entry?.log.at(-1);
    const origin = last ? html`${last.action} von ${last.by}, ${dateOf(last.at)}` : html`mitgeliefert <span class="muted small">(Datei knowledge/programmes/${p.id}.yaml)</span>`;
    // A date that has passed, or no date at all, is what staff check first when a new round is announced.
    const check = r.deadline.state === "expired" && r.deadline.date ? html` <span class="badge late">Frist vorbei – bitte prüfen</span>` : "";
    return html`<tr>
      <td><strong>${p.name}</strong><div class="muted small">${p.funder}</div></td>
      <td><span class="muted small">Frist:</span> ${r.deadline.short}${check}</td>
      <td><span class="muted small">Stand:</span> ${dateOf(p.stand)}${r.stale ? html` <span class="badge late">älter als ${opts.staleMonths} Monate</span>` : ""}</td>
      <td class="small">${origin}</td>
      <td><a class="button secondary" style="background:#fff;color:var(--blue)" href="/staff/wissen/programm?id=${encodeURIComponent(p.id)}">Bearbeiten</a></td>
    </tr>`;
  };
  const retired = opts.retired.map((e) => html`<tr>
      <td>${kindOf(e.path)}</td>
      <td><strong>${e.title ?? e.path}</strong><div class="muted small">${e.path}</div></td>
      <td class="small">${e.log.map((l) => html`${l.action} von ${l.by}, ${dateOf(l.at)}<br>`)}</td>
      <td>${e.content ? html`<form method="post" action="/staff/wissen/wieder">${csrfField(s)}<input type="hidden" name="path" value="${e.path}"><button type="submit" class="secondary">Wieder veröffentlichen</button></form>` : ""}</td>
    </tr>`);
  return page({
    title: "Wissen",
    session: s,
    active: "knowledge",
    extraCss: CSS,
    body: html`<h1>Wissen</h1>
${opts.notice && !opts.noticeAtProgrammes && !opts.saved ? html`<div class="notice ${opts.notice.kind}">${opts.notice.text}</div>` : ""}
<p class="small">Springen zu: <a href="#programme">Förderprogramme (${opts.programmes.length})</a> · <a href="#eintraege">Alle Einträge (${opts.rows.length})</a></p>
<div class="card">
  <h2 style="margin-top:0">Neuen Newsletter hochladen</h2>
  <p class="muted">Die Ausgabe so, wie sie verschickt wurde: als HTML-Datei (aus der E-Mail gespeichert), als PDF oder als Markdown. Sie sehen zuerst eine Vorschau; veröffentlicht wird erst, wenn Sie es bestätigen. Danach beantwortet der Ortslotse Fragen sofort auch daraus – ohne Neustart.</p>
  <form method="post" action="/staff/wissen/vorschau" enctype="multipart/form-data">${csrfField(s)}
    <label for="file">Datei (HTML, PDF oder Markdown, höchstens 10 MB)</label>
    <input type="file" id="file" name="file" accept=".html,.htm,.pdf,.md" required>
    <p class="hint">Tipp: Der Dateiname darf Datum und Nummer enthalten, z. B. <code>2026-12-15-ausgabe-78.html</code>; sonst liest der Ortslotse sie aus der Datei.</p>
    <button type="submit">Vorschau anzeigen</button>
  </form>
</div>
<h2 id="programme">Förderprogramme im Förder-Finder (${opts.programmes.length})</h2>
${opts.noticeAtProgrammes && opts.notice ? html`<div class="notice ${opts.notice.kind}">${opts.notice.text}</div>` : ""}
<p class="muted">Aus diesen Angaben stellt der Ortslotse die Liste zusammen, wenn jemand fragt „Wer fördert …?“. Frist, Beträge und Kontakt ändern Sie hier; gespeichert gilt die Änderung sofort.</p>
${opts.fundingNotes?.length ? html`<div class="card"><h3 style="margin-top:0">Förderaufrufe aus Newslettern, noch nicht im Förder-Finder</h3>
<ul>${opts.fundingNotes.map((n) => html`<li>„${n.programme}“ <span class="muted small">(${n.docTitle})</span><br><a class="button" href="/staff/wissen/programm/neu?${n.query}">Als Förderprogramm anlegen</a></li>`)}</ul></div>` : ""}
<p><a href="/staff/wissen/programm/neu">Neues Förderprogramm anlegen</a></p>
<div class="card" style="overflow-x:auto"><table class="entries programmes">
<thead><tr><th>Programm und Geldgeber</th><th>Frist</th><th>Stand</th><th>Herkunft</th><th></th></tr></thead>
<tbody>${opts.programmes.map(programme)}</tbody></table></div>
<h2 id="eintraege">Was der Ortslotse weiß (${opts.rows.length} Einträge)</h2>
<p><a href="/staff/wissen/faq">Neuen FAQ-Eintrag schreiben</a></p>
<label for="wissen-suche">Einträge durchsuchen</label>
<input type="search" id="wissen-suche" data-filter="table.entries tbody tr" placeholder="z. B. Ehrenamtspauschale, Dorfladen, 2026" autocomplete="off">
<p class="hint" data-filter-count hidden></p>
<div class="card" style="overflow-x:auto"><table class="entries">
<thead><tr><th>Art</th><th>Titel und Themen</th><th>Stand</th><th>Herkunft</th><th>in Antworten (12 Wochen)</th><th></th></tr></thead>
<tbody>${opts.rows.map(row)}</tbody></table></div>
${retired.length ? html`<h2>Zurückgezogen</h2><div class="card" style="overflow-x:auto"><table class="entries"><tbody>${retired}</tbody></table></div>` : ""}`,
  });
}

export function uploadPreviewPage(opts: { session: PageSession; path: string; /** As staff named it (the heading); `path` is where it will lie. */ fileName?: string; token?: string; doc?: KnowledgeDoc; problem?: string; replaces?: string; warnings: string[] }): string {
  const s = opts.session;
  const d = opts.doc;
  const amounts = d ? [...new Set(d.sections.flatMap((x) => x.text.match(/\b\d[\d.]*(?:,\d+)?\s?(?:Euro|€)/g) ?? []))].slice(0, 12) : [];
  const dates = d ? [...new Set(d.sections.flatMap((x) => x.text.match(/\b\d{1,2}\.\s?(?:\d{1,2}\.|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s?\d{4}\b/g) ?? []))].slice(0, 12) : [];
  return page({
    title: "Vorschau",
    session: s,
    active: "knowledge",
    extraCss: CSS,
    body: html`<h1>Vorschau: ${opts.fileName ?? opts.path}</h1>
${opts.problem ? html`<div class="notice err"><strong>Diese Datei kann der Ortslotse nicht lesen:</strong> ${opts.problem}<br>Es wurde nichts geändert. Bitte prüfen Sie die Datei (Datum im Namen oder in der Datei, lesbarer Text) und laden Sie sie noch einmal hoch.</div>` : ""}
${d ? html`<div class="card">
  <p><strong>${d.title}</strong></p>
  <p>Ausgabe: ${d.issue ?? "–"} · Datum: ${dateOf(d.date)} <span class="muted small">(interne Kennung ${d.id})</span></p>
  ${opts.replaces ? html`<p class="warn">Ersetzt die vorhandene Ausgabe „${opts.replaces}“ (dieselbe Ausgabe oder derselbe Monat).</p>` : ""}
  ${opts.warnings.map((w) => html`<p class="warn">Bitte prüfen: ${w}</p>`)}
  <h2>Abschnitte (${d.sections.length})</h2>
  <ol class="sections">${d.sections.map((x) => html`<li><strong>${x.heading}</strong><br><span class="muted small">${x.text.slice(0, 220)}${x.text.length > 220 ? "…" : ""}</span></li>`)}</ol>
  <p>Gefundene Beträge: ${amounts.length ? amounts.join(", ") : "keine"}<br>Gefundene Daten und Fristen: ${dates.length ? dates.join(", ") : "keine"}</p>
  ${opts.token ? html`<form method="post" action="/staff/wissen/veroeffentlichen">${csrfField(s)}<input type="hidden" name="token" value="${opts.token}">
    <button type="submit" class="done">Veröffentlichen</button> <a href="/staff/wissen">Abbrechen</a></form>` : ""}
</div>` : html`<p><a href="/staff/wissen">Zurück zu „Wissen“</a></p>`}`,
  });
}

/** Write a new FAQ entry or change one; published live on saving. */
export function faqEditorPage(opts: { session: PageSession; path?: string; draft: FaqDraft; problems?: string[] }): string {
  const s = opts.session;
  const f = opts.draft;
  return page({
    title: opts.path ? "FAQ bearbeiten" : "Neuer FAQ-Eintrag",
    session: s,
    active: "knowledge",
    extraCss: CSS,
    body: html`<h1>${opts.path ? "FAQ bearbeiten" : "Neuer FAQ-Eintrag"}</h1>
${problemList(opts.problems)}
<form method="post" action="/staff/wissen/faq" class="card">${csrfField(s)}
  ${opts.path ? html`<input type="hidden" name="path" value="${opts.path}"><p class="muted small">Datei: <code>${opts.path}</code>. Beim Speichern wird der heutige Tag als Stand eingetragen.</p>` : ""}
  <p class="hint">Allgemein formuliert, <strong>ohne Namen, Orte, Telefonnummern oder andere persönliche Angaben</strong> – die Wissensbasis ist für alle sichtbar.</p>
  <label for="faq-question">Frage – höchstens ${FAQ_MAX_QUESTION_CHARS} Zeichen</label>
  <textarea id="faq-question" name="question" rows="2" style="min-height:0" required>${f.question}</textarea>
  <label for="faq-answer">Antwort (höchstens ${FAQ_MAX_WORDS} Wörter)</label>
  <textarea id="faq-answer" name="answer" required>${f.answer}</textarea>
  <label for="faq-topics">Themen</label>
  <input type="text" id="faq-topics" name="topics" value="${f.topics.join(", ")}">
  <p class="hint">Kleinbuchstaben, durch Komma getrennt, z. B. versicherung, dorffest.</p>
  <label class="check"><input type="checkbox" name="legal" value="1" ${f.legal ? raw("checked") : ""}> Rechts-, Versicherungs- oder Steuerfrage (der Ortslotse ergänzt dann einen Hinweis)</label>
  <p><button type="submit" class="done">Speichern und veröffentlichen</button> <a href="/staff/wissen">Abbrechen</a></p>
</form>`,
  });
}

/** A knowledge entry a new programme can name as its source (the issue or FAQ that announces it). */
export interface SourceChoice {
  id: string;
  title: string;
}

/**
 * Change a funding programme's texts, deadline and purposes – or, without `programme`, make a new one (from a
 * newsletter's funding note when `draft` comes from it). Published live on saving.
 */
export function programmeEditorPage(opts: { session: PageSession; programme?: Programme; draft: ProgrammeDraft; purposes: Purposes; problems?: string[];
  /** New programme: the entries to choose its source from, newest first, and the ones chosen. */
  sources?: { choices: SourceChoice[]; chosen: string[] } }): string {
  const s = opts.session;
  const p = opts.programme;
  const d = opts.draft;
  const L = PROGRAMME_FIELD_LABELS;
  // Tall enough for the text it holds on a phone (about 35 characters a line), so nothing is cut off unseen.
  const field = (name: keyof typeof PROGRAMME_FIELD_LABELS, hint?: string, rows = 2): SafeHtml => html`<label for="p-${name}">${L[name]}</label>
  <textarea id="p-${name}" name="${name}" rows="${Math.min(10, Math.max(rows, Math.ceil(d[name].length / 35)))}" style="min-height:44px">${d[name]}</textarea>${hint ? html`<p class="hint">${hint}</p>` : ""}`;
  const kinds: [ProgrammeDraft["deadlineKind"], string][] = [["datum", "bis zu einem Datum:"], ["laufend", "laufend (Anträge jederzeit)"], ["unbekannt", "unbekannt"], ["beendet", "beendet (Programm läuft nicht mehr)"]];
  const title = p ? "Förderprogramm bearbeiten" : "Neues Förderprogramm";
  return page({
    title,
    session: s,
    active: "knowledge",
    extraCss: CSS,
    body: html`<h1>${title}</h1>
${problemList(opts.problems)}
<form method="post" action="/staff/wissen/programm${p ? "" : "/neu"}" class="card">${csrfField(s)}
  ${p ? html`<input type="hidden" name="id" value="${p.id}">` : ""}
  <p class="muted small">${p ? html`Datei: <code>programmes/${p.id}.yaml</code>. ` : ""}Beim Speichern wird der heutige Tag als Stand eingetragen. Die Liste ist für alle sichtbar: Kontakte nur von Ämtern und Stellen, keine privaten Angaben.</p>
  ${field("name", undefined, 1)}
  ${field("funder", undefined, 1)}
  ${field("summary", "Zwei, drei Sätze: was gefördert wird und für wen.", 4)}
  <fieldset><legend>Wofür es Geld gibt</legend>
  <p class="hint">Danach sucht der Förder-Finder: Fragt jemand „Wer fördert einen Spielplatz?“, nennt er die Programme mit „Spielplatz“. Kreuzen Sie nur an, was das Programm wirklich fördert.</p>
  ${opts.purposes.data.purposes.map((x) => html`<label class="check"><input type="checkbox" name="purposes" value="${x.id}" ${d.purposes.includes(x.id) ? raw("checked") : ""}> ${x.label}</label>`)}
  </fieldset>
  <fieldset><legend>Antrag stellen können</legend>
  <p class="hint">Keine Gruppe angekreuzt: Niemand kann sich bewerben (z. B. ein Modellprojekt mit ausgewählten Orten).</p>
  ${APPLICANTS.map((a) => html`<label class="check"><input type="checkbox" name="applicants" value="${a}" ${d.applicants.includes(a) ? raw("checked") : ""}> ${opts.purposes.applicantLabel(a)}</label>`)}
  </fieldset>
  <fieldset><legend>Frist</legend>
  ${kinds.map(([k, label]) => html`<label class="check"><input type="radio" name="deadlineKind" value="${k}" ${d.deadlineKind === k ? raw("checked") : ""}> ${label}</label>${k === "datum" ? html`
  <input type="date" name="deadlineDate" value="${d.deadlineDate}" aria-label="Datum der Frist" style="margin:0 0 8px 28px">` : ""}`)}
  </fieldset>
  ${field("deadline_note", "Z. B. „Förderaufruf 2027 startet im Februar“ – steht in der Liste, wenn die Frist unbekannt ist.")}
  ${field("rate", "Z. B. „bis zu 65 % der förderfähigen Kosten“.")}
  ${field("amount", "Z. B. „bis 2.500 Euro je Projekt“.")}
  ${field("own_share", undefined, 1)}
  ${field("area", "Nur wenn das Programm nicht im ganzen Kreis gilt, z. B. „nur im Gebiet der LAG Mosel“.")}
  ${field("condition", "Was jedes geförderte Projekt sein muss, z. B. „das Projekt fördert Inklusion“. Steht in der Liste als „Nur wenn: …“.")}
  ${field("apply")}
  ${field("contact")}
  ${field("link", "Vollständige Adresse mit https://", 1)}
  ${p
    ? html`<p class="muted small">Unverändert bleiben die Quellen (${p.sources.join(", ")}): Aus diesen Einträgen beantwortet der Ortslotse Fragen nach dem Programm.</p>`
    : html`<label for="p-sources">Quelle im Wissen</label>
  <select id="p-sources" name="sources" required>
    <option value="">– bitte wählen –</option>
    ${(opts.sources?.choices ?? []).map((c) => html`<option value="${c.id}" ${opts.sources?.chosen.includes(c.id) ? raw("selected") : ""}>${c.title}</option>`)}
  </select>
  <p class="hint">Der Newsletter oder FAQ-Eintrag, der das Programm ankündigt. Steht es noch nirgends, laden Sie zuerst den Newsletter hoch oder schreiben einen FAQ-Eintrag.</p>`}
  <p><button type="submit" class="done">Speichern und veröffentlichen</button> <a href="/staff/wissen#programme">Abbrechen</a></p>
</form>`,
  });
}
