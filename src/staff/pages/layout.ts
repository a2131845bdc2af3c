import { CSRF_FIELD } from "../csrf.js";
import { html, raw, type SafeHtml } from "./html.js";

const CSS = raw(`
:root { --blue:#1f4e79; --light:#eef3f8; --text:#1b1b1b; --muted:#5a6570; --line:#dde3ea; --ok:#2e7d32; --warn:#c77700; --err:#b3261e; }
* { box-sizing:border-box; }
body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color:var(--text); background:#f7f7f5; }
a { color:var(--blue); }
header.top { background:var(--blue); color:#fff; }
header.top .in { max-width:1100px; margin:0 auto; padding:10px 16px; display:flex; flex-wrap:wrap; align-items:center; gap:8px 20px; }
header.top .brand { font-weight:700; font-size:1.1rem; color:#fff; text-decoration:none; }
header.top .brand small { font-weight:400; opacity:.85; margin-left:6px; }
header.top nav { display:flex; gap:4px; flex-wrap:wrap; }
header.top nav a { color:#fff; text-decoration:none; padding:4px 10px; border-radius:6px; }
header.top nav a[aria-current] { background:rgba(255,255,255,.2); }
header.top .who { margin-left:auto; display:flex; align-items:center; gap:10px; font-size:.9rem; }
header.top .who button { background:transparent; color:#fff; border:1px solid rgba(255,255,255,.6); border-radius:6px; padding:3px 10px; font:inherit; cursor:pointer; }
/* On a phone the menu and "Abmelden" are tapped, not clicked (user test: 30 px high). */
@media (max-width: 600px) { header.top nav a, header.top .who button { min-height:44px; display:inline-flex; align-items:center; } }
main { max-width:1100px; margin:0 auto; padding:16px; }
h1 { font-size:1.45rem; margin:.2em 0 .6em; }
h2 { font-size:1.15rem; margin:1.4em 0 .5em; }
.muted { color:var(--muted); }
.more { color:#8a4b00; font-weight:600; margin-top:4px; }
.notice { padding:10px 14px; border-radius:8px; margin:0 0 16px; border:1px solid; }
.notice.ok { background:#edf7ee; border-color:#b7dcb9; }
.notice.err { background:#fdeeee; border-color:#f1b8b4; }
.notice.info { background:var(--light); border-color:#c9d3dd; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:14px 16px; margin:0 0 12px; }
.badge { display:inline-block; font-size:.8rem; padding:1px 8px; border-radius:10px; background:var(--light); border:1px solid #c9d3dd; white-space:nowrap; }
.badge.open { background:#fff4e5; border-color:#f0c890; }
.badge.claimed { background:#e8f0fb; border-color:#a9c2e6; }
.badge.answered { background:#edf7ee; border-color:#b7dcb9; }
.badge.closed { background:#f0f0f0; border-color:#d0d0d0; }
.badge.late { background:#fdeeee; border-color:#f1b8b4; color:var(--err); }
label { display:block; font-weight:600; margin:10px 0 4px; }
input[type=text], input[type=password], textarea { width:100%; font:inherit; padding:8px 10px; border:1px solid #b9c4cf; border-radius:8px; background:#fff; }
textarea { min-height:8em; resize:vertical; }
button, .button { font:inherit; border-radius:8px; padding:8px 16px; cursor:pointer; border:1px solid var(--blue); background:var(--blue); color:#fff; text-decoration:none; display:inline-block; }
button.secondary { background:#fff; color:var(--blue); }
button.done { background:var(--ok); border-color:var(--ok); }
.hint { font-size:.88rem; color:var(--muted); margin:4px 0 0; }
.inline { display:inline; }
/* A list of long titles must not widen the page on a phone (user test: 830 px wide "Quelle im Wissen"). */
select { max-width:100%; }
label.check { display:flex; gap:8px; align-items:center; font-weight:400; }
footer { max-width:1100px; margin:24px auto; padding:0 16px; font-size:.8rem; color:var(--muted); }
@media (max-width:600px) { body { font-size:15px; } main { padding:12px; } header.top .who { margin-left:0; } }
/* Everything tapped on a phone is at least 44 px high: fields and buttons were 40–41 px, the state chips, "← Alle
   Vorgänge", the file chooser and the folding headings 16–23 px (user test). */
@media (max-width:600px) {
  input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, button, .button, summary { min-height:44px; }
  .summary a.badge, main > p > a:only-child, nav.pager a { display:inline-flex; align-items:center; min-height:44px; padding:0 12px; }
  label.check { min-height:44px; }
  summary { display:flex; align-items:center; }
}
`);

export interface PageSession {
  name: string;
  csrf: string;
}

/**
 * What blocks a form, focused when the page loads: on a phone the page came back at its top while the message stood
 * 1,600 px further down, and staff took the entry as saved (user test).
 */
export function problemList(problems: readonly string[] | undefined): SafeHtml {
  return problems?.length ? html`<div class="notice err" role="alert" tabindex="-1" autofocus><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : html``;
}

export function csrfField(session: { csrf: string }): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrf}">`;
}

export function page(opts: { title: string; body: SafeHtml; session?: PageSession; active?: "tickets" | "gaps" | "knowledge" | "digest"; extraCss?: SafeHtml }): string {
  const s = opts.session;
  const nav = s
    ? html`<nav aria-label="Bereiche">
        <a href="/staff" ${opts.active === "tickets" ? raw('aria-current="page"') : ""}>Vorgänge</a>
        <a href="/staff/wissen" ${opts.active === "knowledge" ? raw('aria-current="page"') : ""}>Wissen</a>
        <a href="/staff/luecken" ${opts.active === "gaps" ? raw('aria-current="page"') : ""}>Wissenslücken</a>
        <a href="/staff/wochenueberblick" ${opts.active === "digest" ? raw('aria-current="page"') : ""}>Wochenüberblick</a>
      </nav>
      <div class="who"><span>Angemeldet: <strong>${s.name}</strong></span>
        <a href="/staff/passwort" style="color:#fff">Passwort</a>
        <form method="post" action="/staff/logout" class="inline">${csrfField(s)}<button type="submit">Abmelden</button></form>
      </div>`
    : "";
  return html`<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${opts.title} – Ortslotse Team</title>
<style>${CSS}${opts.extraCss ?? ""}</style>
</head>
<body>
<header class="top"><div class="in"><a class="brand" href="/staff">Ortslotse <small>Team der Kreisverwaltung</small></a>${nav}</div></header>
<main>
${opts.body}
</main>
${s ? raw(`<script src="/staff/staff.js" defer></script>`) : ""}
<footer>Nur für das Team „Hauptamt stärkt Ehrenamt“ der Kreisverwaltung Trier-Saarburg. Fragen der Ortsbürgermeisterinnen und Ortsbürgermeister sind vertraulich.</footer>
</body>
</html>`.value;
}

export function messagePage(title: string, text: string, session?: PageSession, link = { href: "/staff", label: "Zur Übersicht" }): string {
  return page({ title, session, body: html`<h1>${title}</h1><div class="card"><p>${text}</p><p><a href="${link.href}">${link.label}</a></p></div>` });
}

/**
 * An answer to a Vorgang that is gone by the time it is sent (the person deleted their data meanwhile): it says so and
 * keeps the typed text, which before was lost behind "Diesen Vorgang gibt es nicht (mehr)." (user test).
 */
export function answerNotSentPage(id: number, text: string, session?: PageSession): string {
  return page({
    title: "Antwort nicht verschickt",
    session,
    body: html`<h1>Antwort nicht verschickt</h1><div class="card">
  <p>Vorgang Nr. ${id} gibt es nicht mehr: Die Person hat ihre Daten gelöscht, oder der Vorgang war älter als die Aufbewahrungsfrist. Ihre Antwort wurde <strong>nicht</strong> verschickt.</p>
  <label for="unsent">Ihr Text (zum Kopieren):</label>
  <textarea id="unsent" readonly rows="8">${text}</textarea>
  <p><a href="/staff">Zur Übersicht</a></p></div>`,
  });
}

/**
 * Served as /staff/staff.js on every page after login (the Content-Security-Policy allows no inline script): a form
 * with data-confirm asks before it is sent (closing a Vorgang nobody answered, taking an entry out of the knowledge);
 * a search box with data-filter narrows a long list (the knowledge's 200 entries) as staff type.
 */
export const STAFF_SCRIPT = `document.addEventListener("submit", function (ev) {
  var form = ev.target, question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) ev.preventDefault();
});
// A search box with data-filter shows only the rows that contain every word typed (case and umlauts as typed).
document.addEventListener("input", function (ev) {
  var box = ev.target, selector = box && box.getAttribute && box.getAttribute("data-filter");
  if (!selector) return;
  var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0, rows = document.querySelectorAll(selector);
  rows.forEach(function (row) {
    var text = row.textContent.toLowerCase(), hit = words.every(function (w) { return text.indexOf(w) >= 0; });
    row.hidden = !hit; if (hit) shown++;
  });
  var count = document.querySelector("[data-filter-count]");
  if (count) { count.hidden = !words.length; count.textContent = shown + " von " + rows.length + " Zeilen (Einträge und Förderprogramme)"; }
});
`;
