import type { TicketRecord } from "../../store/store.js";
import { FAQ_MAX_QUESTION_CHARS, FAQ_MAX_WORDS } from "../../retrieval/knowledge-schema.js";
import { ageLabel, askedBefore, BEFORE_LABEL, channelLabel, dateTimeLabel, reasonLabel, STATUS_LABEL, unansweredAdditions } from "../format.js";
import { type FaqDraft } from "../faq-draft.js";
import { html, raw, type SafeHtml } from "./html.js";
import { csrfField, page, problemList, type PageSession } from "./layout.js";
import { mayorLabel } from "./tickets.js";
import { topicLabel } from "../../core/topic-labels.js";
import { reachOf } from "../../core/my-data.js";

const CSS = raw(`
.grid { display:grid; grid-template-columns:1fr; gap:0 24px; }
@media (min-width:900px) { .grid { grid-template-columns:minmax(0,3fr) minmax(0,2fr); } .grid .side { grid-column:2; grid-row:1 / span 3; } }
.head { display:flex; flex-wrap:wrap; gap:8px 12px; align-items:baseline; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:0; font-size:.92rem; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; overflow-wrap:anywhere; }
blockquote.question { margin:0; padding:12px 14px; background:#fff; border-left:4px solid var(--warn); border-radius:6px; font-size:1.08rem; white-space:pre-wrap; overflow-wrap:anywhere; }
ol.history { list-style:none; padding:0; margin:0; }
ol.history li { padding:8px 12px; margin:0 0 8px; border-radius:8px; background:#fff; border:1px solid var(--line); white-space:pre-wrap; overflow-wrap:anywhere; }
ol.history li.staff { border-left:4px solid var(--ok); }
ol.history li.mayor { border-left:4px solid var(--warn); }
ol.history li.system { background:#f3f3f3; font-size:.9rem; }
ol.history .when { display:block; font-size:.8rem; color:var(--muted); white-space:normal; }
.passage { border-top:1px solid var(--line); padding:8px 0; }
.passage:first-child { border-top:0; }
.passage p { margin:4px 0 0; font-size:.92rem; white-space:pre-wrap; overflow-wrap:anywhere; }
.draft { white-space:pre-wrap; overflow-wrap:anywhere; }
details > summary { cursor:pointer; font-weight:600; }
.actions { display:flex; gap:8px; flex-wrap:wrap; margin-top:10px; }
.side .card h2 { margin-top:0; }
label.check { font-weight:400; display:flex; gap:8px; align-items:flex-start; }
label.check input { margin-top:5px; }
details.again > summary { font-weight:400; color:var(--blue); }
#answer-text { min-height:12em; }
`);

export interface TicketPageOptions {
  session: PageSession;
  ticket: TicketRecord;
  timeZone: string;
  notice?: { kind: "ok" | "err" | "info"; text: string };
  answerText?: string;
  faq?: FaqDraft & { trimmed?: boolean };
  faqProblems?: string[];
  faqSaved?: string;
}

const WHO: Record<string, string> = { mayor: "Ortsbürgermeister/in", staff: "Team", system: "System" };

function history(t: TicketRecord, tz: string): SafeHtml {
  return html`<ol class="history">${t.messages.map(
    (m) => html`<li class="${m.from}"><span class="when">${WHO[m.from] ?? m.from}${m.author ? html` – ${m.author}` : ""} · ${dateTimeLabel(m.at, tz)}</span>${m.text}</li>`,
  )}</ol>`;
}

function faqForm(o: TicketPageOptions): SafeHtml {
  const t = o.ticket;
  if (o.faqSaved)
    return html`<div class="card" id="faq"><h2>FAQ</h2>
<p class="notice ok" role="status">Als FAQ veröffentlicht <span class="muted small">(Datei ${o.faqSaved})</span>. Der Ortslotse beantwortet diese Frage ab jetzt selbst. Unter <a href="/staff/wissen">Wissen</a> können Sie den Eintrag zurückziehen.</p></div>`;
  if (!t.answer || !o.faq) return html``;
  // An answer about one mayor's own matter ("Ihr Antrag ist in Bearbeitung") would tell every mayor the same (user test:
  // the form came pre-filled with it). A question that turns out general can still become an entry under Wissen.
  if (t.reason === "individual_case")
    return html`<div class="card" id="faq"><h2>FAQ</h2><p class="hint">Dieser Vorgang ist ein Einzelfall: Die Antwort gilt nur für diese Person und wird deshalb nicht als FAQ angeboten. Ist die Frage doch allgemein, legen Sie unter <a href="/staff/wissen">Wissen</a> einen Eintrag an.</p></div>`;
  const f = o.faq;
  const earlier = t.messages.filter((m) => m.from === "system" && (m.text.startsWith("Als FAQ veröffentlicht:") || m.text.startsWith("FAQ-Entwurf gespeichert:")));
  const form = html`<form method="post" action="/staff/tickets/${t.id}/faq" ${earlier.length ? "" : raw('class="card" id="faq"')}>
  <h2>Als FAQ übernehmen</h2>
  <p class="hint">Damit die nächste Ortsbürgermeisterin oder der nächste Ortsbürgermeister die Antwort sofort bekommt. Bitte prüfen Sie den Text: <strong>keine Namen, Orte, Telefonnummern oder andere persönliche Angaben</strong> – die Wissensbasis ist für alle sichtbar.</p>
  ${problemList(o.faqProblems)}
  ${f.trimmed ? html`<p class="notice info">Für diesen FAQ-Vorschlag ist Ihre Antwort auf unter ${FAQ_MAX_WORDS} Wörter gekürzt (an ${mayorLabel(t)} ging sie vollständig). Bitte prüfen Sie, ob sie so verständlich ist.</p>` : ""}
  ${csrfField(o.session)}
  <label for="faq-question">Frage (allgemein formuliert) – höchstens ${FAQ_MAX_QUESTION_CHARS} Zeichen</label>
  <textarea id="faq-question" name="question" rows="2" style="min-height:0" required>${f.question}</textarea>
  <label for="faq-answer">Antwort (höchstens ${FAQ_MAX_WORDS} Wörter)</label>
  <textarea id="faq-answer" name="answer" required>${f.answer}</textarea>
  <label for="faq-topics">Themen</label>
  <input type="text" id="faq-topics" name="topics" value="${f.topics.join(", ")}">
  <p class="hint">Kleinbuchstaben, durch Komma getrennt, z. B. versicherung, dorffest. Leer lassen für „allgemein“.</p>
  <label class="check"><input type="checkbox" name="legal" value="1" ${f.legal ? raw("checked") : ""}> Rechts-, Versicherungs- oder Steuerfrage (der Ortslotse ergänzt dann einen Hinweis)</label>
  <div class="actions"><button type="submit" class="secondary">Als FAQ veröffentlichen</button></div>
</form>`;
  if (!earlier.length) return form;
  // Already saved once: say so, and keep the form out of the way so nobody saves duplicates by accident.
  return html`<div class="card" id="faq"><h2>FAQ</h2>
<p>${earlier.at(-1)!.text}</p>
<details class="again" ${o.faqProblems?.length ? raw("open") : ""}><summary>Noch einen FAQ-Eintrag aus diesem Vorgang veröffentlichen</summary>${form}</details></div>`;
}

function actions(o: TicketPageOptions): SafeHtml {
  const t = o.ticket;
  const s = o.session;
  const canAnswer = t.status !== "closed";
  return html`<div class="side">
${o.notice ? (o.notice.kind === "err" ? problemList([o.notice.text]) : html`<p class="notice ${o.notice.kind}" role="status">${o.notice.text}</p>`) : ""}
${t.status === "open" ? html`<form method="post" action="/staff/tickets/${t.id}/uebernehmen" class="card">${csrfField(s)}
  <p class="muted" style="margin-top:0">Noch niemand kümmert sich um diesen Vorgang.</p>
  <button type="submit">Übernehmen</button></form>` : ""}
${canAnswer ? html`<form method="post" action="/staff/tickets/${t.id}/antwort" class="card" id="antwort">${csrfField(s)}
  <h2>${t.status === "answered" ? "Weitere Nachricht senden" : "Antwort senden"}</h2>
  <label for="answer-text">Ihre Antwort an ${mayorLabel(t)}</label>
  <textarea id="answer-text" name="text" required>${o.answerText ?? ""}</textarea>
  <p class="hint">Geht direkt in den Chat (${channelLabel(t.channel)}), in dem gefragt wurde – mit dem Hinweis „Antwort des Teams zu Ihrer Anfrage Nr. ${t.id}“. Höchstens 3.500 Zeichen (etwa eine Seite); ist sie länger, sagt die Seite es Ihnen, und Ihr Text bleibt stehen.</p>
  <div class="actions"><button type="submit">Antwort senden</button>
  ${t.draftAnswer ? html`<button type="button" class="secondary" id="use-draft">Entwurf des Ortslotsen einfügen</button>` : ""}</div>
</form>` : ""}
${t.status !== "closed" ? html`<form method="post" action="/staff/tickets/${t.id}/erledigt" class="card" ${t.status === "answered" ? "" : raw(`data-confirm="Vorgang Nr. ${t.id} ohne Antwort über den Ortslotsen abschließen? Die Person bekommt im Chat nur einen kurzen Hinweis, dass er abgeschlossen ist."`)}>${csrfField(s)}
  <p class="muted" style="margin-top:0">${t.status === "answered" ? "Ist die Sache damit erledigt?" : "Erledigt ohne Antwort über den Ortslotsen (z. B. telefonisch geklärt)? Die Person bekommt dann im Chat einen kurzen Hinweis, dass der Vorgang abgeschlossen ist."}</p>
  <button type="submit" class="done">Erledigt</button></form>` : html`<p class="notice info">Dieser Vorgang ist erledigt.</p>`}
${faqForm(o)}
</div>`;
}

export function ticketPage(o: TicketPageOptions): string {
  const t = o.ticket;
  const tz = o.timeZone;
  return page({
    title: `Vorgang Nr. ${t.id}`,
    session: o.session,
    active: "tickets",
    extraCss: CSS,
    body: html`<p><a href="/staff">← Alle Vorgänge</a></p>
<div class="head"><h1>Vorgang Nr. ${t.id}</h1><span class="badge ${t.status}">${STATUS_LABEL[t.status]}</span><span class="muted">${ageLabel(t.createdAt)}</span></div>
<div class="grid">
<div>
  <div class="card"><dl class="facts">
    <dt>Von</dt><dd>${mayorLabel(t)}</dd>
    ${reachOf(t) ? html`<dt>Erreichbar unter</dt><dd>${reachOf(t)}</dd>` : ""}
    <dt>Kanal</dt><dd>${channelLabel(t.channel)}</dd>
    <dt>Grund</dt><dd>${reasonLabel(t.reason)}</dd>
    <dt>Eingang</dt><dd>${dateTimeLabel(t.createdAt, tz)}</dd>
    <dt>Themen</dt><dd>${t.topics.length ? [...new Set(t.topics.map(topicLabel))].join(", ") : "–"}</dd>
    <dt>Bearbeitet von</dt><dd>${t.staffMember ?? "noch niemand"}</dd>
    ${t.requestId ? html`<dt>Kennung für die IT</dt><dd class="muted" title="Steht in jeder Protokollzeile dieser Nachricht – für die IT, falls etwas schiefging">${t.requestId}</dd>` : ""}
  </dl></div>
  <h2>Frage</h2>
  ${askedBefore(t) ? html`<p class="muted">${BEFORE_LABEL} ${askedBefore(t)}</p>` : ""}
  <blockquote class="question">${t.question}</blockquote>
  ${unansweredAdditions(t).length ? html`<h2>Seitdem von der Person dazugekommen</h2>${unansweredAdditions(t).map((m) => html`<blockquote class="question">${m}</blockquote>`)}` : ""}
</div>
${actions(o)}
<div>
  <h2>Verlauf</h2>
  ${history(t, tz)}
  <h2>Entwurf des Ortslotsen</h2>
  ${t.draftAnswer ? html`<div class="card draft" id="draft">${t.draftAnswer}</div>` : html`<p class="muted">Der Ortslotse hatte keinen Antwortentwurf.</p>`}
  <h2>Gefundene Textstellen (${t.passages.length})</h2>
  ${t.passages.length
    ? html`<div class="card">${t.passages.map((p) => html`<div class="passage"><strong>${p.title}</strong><p>${p.excerpt}</p></div>`)}</div>`
    : html`<p class="muted">Keine passenden Textstellen gefunden.</p>`}
  <h2>Gesprächszusammenhang</h2>
  ${t.context.length
    ? html`<ol class="history">${t.context.map((m) => html`<li class="${m.role === "mayor" ? "mayor" : "system"}"><span class="when">${m.role === "mayor" ? "Ortsbürgermeister/in" : "Ortslotse"}</span>${m.text}</li>`)}</ol>`
    : html`<p class="muted">Keine früheren Nachrichten in diesem Gespräch.</p>`}
</div>
</div>
${t.draftAnswer ? raw(`<script src="/staff/ticket.js" defer></script>`) : ""}`,
  });
}

/** Fills the answer field with the suggested draft; served as /staff/ticket.js (no inline scripts). */
export const TICKET_SCRIPT = `document.getElementById("use-draft")?.addEventListener("click", function () {
  var ta = document.getElementById("answer-text"); var d = document.getElementById("draft");
  if (ta && d) { ta.value = d.textContent.trim(); ta.focus(); ta.setSelectionRange(0, 0); ta.scrollTop = 0; }
});
`;
