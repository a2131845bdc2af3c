/** The local web chat: one static page, no framework, all user-visible text in German. */
import { HANDOVER_BUTTON } from "../../core/messages.js";

export const CHAT_PAGE = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ortslotse – Fragen für Ortsbürgermeisterinnen und Ortsbürgermeister</title>
<style>
  :root { --blue:#1f4e79; --light:#eef3f8; --text:#1b1b1b; --muted:#5a6570; }
  * { box-sizing: border-box; }
  body { margin:0; font:16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--text); background:#f7f7f5; }
  header { background:var(--blue); color:#fff; padding:12px 16px; }
  header h1 { margin:0; font-size:1.2rem; }
  header p { margin:2px 0 0; font-size:.9rem; opacity:.9; }
  main { max-width:760px; margin:0 auto; padding:12px 12px 190px; }
  .msg { margin:10px 0; padding:10px 12px; border-radius:10px; max-width:92%; white-space:pre-wrap; word-wrap:break-word; }
  .me { background:var(--blue); color:#fff; margin-left:auto; }
  .bot { background:#fff; border:1px solid #dde3ea; }
  .bot.handover, .bot.part { border-left:4px solid #c77700; }
  .bot.staff { border-left:4px solid #2e7d32; }
  .sources { margin-top:8px; font-size:.9rem; color:var(--muted); white-space:normal; }
  .sources ol { margin:4px 0 0 18px; padding:0; }
  .sources a { color:var(--blue); }
  /* Buttons a thumb can hit on a phone: at least 44 × 44 px (WCAG 2.5.5; a user test measured 26–35 px). */
  .actions, .choices { margin-top:8px; display:flex; gap:6px; flex-wrap:wrap; }
  .choices button { border:1px solid var(--blue); background:#fff; color:inherit; border-radius:22px; padding:6px 14px; min-height:44px; min-width:44px; cursor:pointer; font-size:.95rem; }
  .choices button:disabled { opacity:.5; cursor:default; }
  .actions button { border:1px solid #c9d3dd; background:var(--light); border-radius:22px; padding:4px 12px; min-height:44px; min-width:44px; cursor:pointer; font-size:.9rem; }
  .actions button:disabled { opacity:.5; cursor:default; }
  form { position:fixed; bottom:0; left:0; right:0; background:#fff; border-top:1px solid #dde3ea; padding:10px; }
  form div { max-width:760px; margin:0 auto; display:flex; gap:8px; }
  textarea { flex:1; resize:none; height:60px; font:inherit; line-height:1.3; padding:8px; border:1px solid #c9d3dd; border-radius:8px; }
  form button { background:var(--blue); color:#fff; border:0; border-radius:8px; padding:0 16px; font:inherit; cursor:pointer; }
  .hint { font-size:.8rem; color:var(--muted); max-width:760px; margin:4px auto 0; }
  form.contact { position:static; border:0; padding:8px 0 0; display:grid; gap:6px; background:none; }
  form.contact p { margin:0; font-size:.9rem; color:var(--muted); }
  form.contact label { display:grid; font-size:.9rem; gap:2px; }
  form.contact input { font:inherit; padding:6px 8px; min-height:44px; border:1px solid #c9d3dd; border-radius:6px; }
  form.contact button { justify-self:start; background:var(--blue); color:#fff; border:0; border-radius:8px; padding:6px 14px; min-height:44px; font:inherit; cursor:pointer; }
  .hint a { display:inline-block; min-height:44px; line-height:44px; }
  .hint button.link { background:none; border:0; padding:0; min-height:44px; color:var(--blue); text-decoration:underline; font:inherit; cursor:pointer; }
  .typing { color:var(--muted); font-style:italic; }
  .typing span { animation: blink 1.4s infinite both; }
  .typing span:nth-child(2) { animation-delay:.2s; } .typing span:nth-child(3) { animation-delay:.4s; }
  @keyframes blink { 0%, 80%, 100% { opacity:.2; } 40% { opacity:1; } }
  textarea::placeholder { font-size:.95rem; }
  @media (max-width:480px) { textarea::placeholder { font-size:.85rem; } }
</style>
</head>
<body>
<header><h1>Ortslotse</h1><p>Hauptamt stärkt Ehrenamt – Kreisverwaltung Trier-Saarburg</p></header>
<main id="log" aria-live="polite">
  <div class="msg bot">Guten Tag! Fragen Sie mich zu Förderprogrammen, Versicherung im Ehrenamt, Ihrem Amt und guten Beispielen aus Dörfern. Ich nenne meine Quellen. Wenn ich unsicher bin, gebe ich Ihre Frage an das Team der Kreisverwaltung weiter.</div>
</main>
<form id="f">
  <div><textarea id="q" name="q" maxlength="10000" placeholder="Ihre Frage, z. B. „Wie hoch ist die Ehrenamtspauschale?“" aria-label="Ihre Frage"></textarea>
  <button type="submit" id="send">Senden</button></div>
  <p class="hint">Weitergegebene Fragen liest das Team der Kreisverwaltung. Bitte keine Daten Dritter eingeben. <a href="/datenschutz">Datenschutz</a> · <button type="button" class="link" id="mydata">Meine Daten</button> · <button type="button" class="link" id="erase">Löschen</button></p>
</form>
<script src="/chat.js" defer></script>
</body>
</html>`;


/** The chat's script, served as /chat.js: the Content-Security-Policy allows no inline scripts. */
export const CHAT_SCRIPT = `const log = document.getElementById("log");
const q = document.getElementById("q");
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function scroll() { window.scrollTo(0, document.body.scrollHeight); }
function addMe(text) { log.appendChild(el("div", "msg me", text)); scroll(); }
function addBot(reply) {
  const box = el("div", "msg bot " + (reply.action || "") + (reply.partHandedOver ? " part" : ""), reply.text);
  if (reply.choices && reply.choices.length) {
    const bar = el("div", "choices");
    for (const ch of reply.choices) {
      const x = el("button", "", ch.label); x.type = "button";
      x.onclick = async () => { for (const y of bar.querySelectorAll("button")) y.disabled = true; addMe(ch.label); await post("/api/chat", { text: ch.text }); };
      bar.appendChild(x);
    }
    box.appendChild(bar);
  }
  if (reply.sources && reply.sources.length) {
    const s = el("div", "sources"); s.appendChild(el("strong", "", reply.sourcesHeading || "Quellen:"));
    const ol = el("ol");
    for (const src of reply.sources) {
      const li = el("li");
      if (src.url) { const a = el("a", "", src.title); a.href = src.url; a.target = "_blank"; a.rel = "noopener"; li.appendChild(a); }
      else li.textContent = src.title;
      ol.appendChild(li);
    }
    s.appendChild(ol); box.appendChild(s);
  }
  if (reply.offerFeedback && reply.turnId) {
    const bar = el("div", "actions");
    // A thumb is given once (both thumbs close); handing over stays possible after a thumbs-up, and closes all.
    const b = (label, group, fn) => { const x = el("button", group, label); x.type = "button"; x.onclick = async () => { for (const y of bar.querySelectorAll(group === "thumb" ? "button.thumb" : "button")) y.disabled = true; await fn(); }; bar.appendChild(x); };
    b("👍 Hilfreich", "thumb", () => post("/api/chat/feedback", { turnId: reply.turnId, value: 1 }));
    b("👎 Nicht hilfreich", "thumb", () => { for (const y of bar.querySelectorAll("button")) y.disabled = true; return post("/api/chat/feedback", { turnId: reply.turnId, value: -1 }); });
    b(${JSON.stringify(HANDOVER_BUTTON)}, "", () => post("/api/chat/handover", { turnId: reply.turnId }));
    box.appendChild(bar);
  }
  // One form on the page: the details hold for every open Vorgang of this chat (user test: four identical forms
  // looked as if each question needed name and village again).
  if (reply.newTicket && reply.ticket) { for (const other of document.querySelectorAll("form.contact")) other.remove(); box.appendChild(contactForm(reply.ticket)); }
  log.appendChild(box);
  // A long reply (a programme list, a hand-over with the form) is read from its start, where the Vorgangsnummer is,
  // not from its end.
  if (box.offsetHeight > window.innerHeight * 0.6) box.scrollIntoView({ block: "start" }); else scroll();
}
function contactForm(ticketId) {
  const f = el("form", "contact");
  f.appendChild(el("p", "", "Die Antwort des Teams erscheint auf dieser Seite, wenn Sie sie wieder in diesem Browser öffnen – auf einem anderen Gerät oder in einem privaten Fenster nicht. Damit das Team weiß, wer fragt, und Sie auch anders erreichen kann:"));
  const field = (name, label, required) => {
    const l = el("label", "", label); const i = el("input"); i.name = name; i.required = required; i.maxLength = name === "reach" ? 200 : 120;
    l.appendChild(i); f.appendChild(l); return i;
  };
  field("name", "Ihr Name", true); field("village", "Ortsgemeinde", true); field("reach", "Telefon oder E-Mail (freiwillig)", false);
  const b = el("button", "", "Angaben senden"); b.type = "submit"; f.appendChild(b);
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault(); b.disabled = true;
    const d = new FormData(f);
    const body = { ticketId: ticketId, name: String(d.get("name") || ""), village: String(d.get("village") || "") };
    if (d.get("reach")) body.reach = String(d.get("reach"));
    // Turned down (a name of only spaces), the form stays with what was typed (user test: it vanished).
    if (!(await post("/api/chat/contact", body))) { b.disabled = false; return; }
    // The answer names every Vorgang the details now hold for: no other form is left open.
    for (const other of document.querySelectorAll("form.contact")) other.remove();
  });
  return f;
}
/** "Ortslotse schreibt …" while an answer is on its way (with a language model it can take seconds). */
function typing() {
  const t = el("div", "msg bot typing"); t.setAttribute("role", "status");
  t.append("Ortslotse schreibt ", el("span", "", "."), el("span", "", "."), el("span", "", "."));
  log.appendChild(t); scroll();
  return () => t.remove();
}
async function post(url, body) {
  const done = typing();
  try {
    const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
    const data = await r.json().catch(() => null);
    if (!r.ok || !data) { done(); addBot({ text: (data && data.error) || "Das hat leider nicht geklappt. Bitte versuchen Sie es gleich noch einmal." }); return null; }
    done();
    // What was deleted leaves the screen too: on a shared PC the questions stood on above "gelöscht" (user test).
    if (data.erased) while (log.children.length > 1) log.lastChild.remove();
    if (data.text) addBot(data);
    return data;
  } catch (e) { addBot({ text: "Keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung." }); return null; }
  finally { done(); }
}
document.getElementById("f").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = q.value.trim(); if (!text) return;
  q.value = ""; addMe(text);
  document.getElementById("send").disabled = true;
  await post("/api/chat", { text });
  document.getElementById("send").disabled = false; q.focus();
});
document.getElementById("mydata").addEventListener("click", () => { addMe("Meine Daten"); post("/api/chat", { text: "/meine_daten" }); });
document.getElementById("erase").addEventListener("click", () => {
  if (!confirm("Alles löschen, was über Sie gespeichert ist (Fragen, Antworten, Vorgänge)? Das lässt sich nicht rückgängig machen.")) return;
  addMe("Löschen"); post("/api/chat", { text: "/loeschen ja" });
});
// The box takes at most 10,000 characters (what is stored); a longer paste is cut, and the person is told.
let toldCut = false;
q.addEventListener("input", () => {
  if (q.value.length < q.maxLength || toldCut) return;
  toldCut = true;
  addBot({ text: "Ihr Text ist länger als 10.000 Zeichen und wurde im Eingabefeld gekürzt. Bitte schicken Sie den Rest in einer zweiten Nachricht." });
});
q.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); document.getElementById("f").requestSubmit(); } });
async function history() {
  try {
    const r = await fetch("/api/chat/history", { credentials: "same-origin" });
    if (!r.ok) return;
    const d = await r.json();
    // A hand-over's hints keep their heading ("Vielleicht hilft das schon …", not "Quellen:").
    for (const it of d.items || []) { if (it.role === "me") addMe(it.text); else addBot({ action: it.action, partHandedOver: it.partHandedOver, text: it.text, ticket: it.ticket, newTicket: it.newTicket, sources: it.sources, sourcesHeading: it.sourcesHeading, turnId: it.turnId, offerFeedback: it.offerFeedback, choices: it.choices }); }
    teamAnswersAbove();
  } catch (e) {}
}
// After a reload the chat opens at its end; a team answer stands under its question further up. A line at the
// end says so and leads there.
function teamAnswersAbove() {
  const all = [...log.children];
  const above = all.slice(0, -3).filter((m) => m.classList.contains("staff"));
  if (!above.length) return;
  const nav = el("div", "msg bot note", "Antworten des Teams weiter oben:");
  const bar = el("div", "choices"); nav.appendChild(bar);
  for (const m of above) {
    const nr = /Anfrage Nr\\. (\\d+)/.exec(m.textContent || "");
    const b = el("button", "", nr ? "Anfrage Nr. " + nr[1] : "Antwort des Teams"); b.type = "button";
    b.onclick = () => m.scrollIntoView({ block: "start", behavior: "smooth" });
    bar.appendChild(b);
  }
  log.appendChild(nav); scroll();
}
async function poll() {
  try { const r = await fetch("/api/chat/inbox", { credentials: "same-origin" }); if (r.ok) { const d = await r.json(); for (const m of d.messages || []) addBot({ action: "staff", text: m.text }); } } catch (e) {}
  setTimeout(poll, 5000);
}
history().then(poll);
`;

/** /datenschutz as a page in the chat's style, with the way back to the chat. */
export function privacyPage(text: string): string {
  const esc = (x: string) => x.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const paras = text.split(/\n{2,}/).map((p) => `<p>${esc(p).replace(/\n/g, "<br>")}</p>`).join("\n");
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Datenschutz – Ortslotse</title>
<style>
  :root { --blue:#1f4e79; --text:#1b1b1b; }
  body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--text); background:#f7f7f5; }
  header { background:var(--blue); color:#fff; padding:12px 16px; }
  header h1 { margin:0; font-size:1.2rem; }
  main { max-width:760px; margin:0 auto; padding:12px 16px 40px; }
  .card { background:#fff; border:1px solid #dde3ea; border-radius:10px; padding:6px 16px; }
  a.back { display:inline-block; margin:12px 0; color:var(--blue); }
</style>
</head>
<body>
<header><h1>Ortslotse – Datenschutz</h1></header>
<main>
<a class="back" href="/">← Zurück zum Chat</a>
<div class="card">
${paras}
</div>
<a class="back" href="/">← Zurück zum Chat</a>
</main>
</body>
</html>`;
}

/** A newsletter issue as a readable page (/newsletter/<nr>): sections in order, the original links inside. */
export function newsletterPage(issue: { title: string; date?: string; sections: { heading: string; text: string }[] }): string {
  const esc = (x: string) => x.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  // Markdown links [text](https://…) become links; everything else stays text.
  const inline = (x: string) => esc(x).replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, t: string, u: string) => `<a href="${u}" rel="noopener">${t}</a>`);
  const body = issue.sections
    .map((s) => `<section><h2>${esc(s.heading)}</h2>${s.text.split(/\n{2,}/).map((p) => `<p>${inline(p).replace(/\n/g, "<br>")}</p>`).join("")}</section>`)
    .join("\n");
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(issue.title)} – Ortslotse</title>
<style>
  :root { --blue:#1f4e79; --text:#1b1b1b; --muted:#5a6570; }
  body { margin:0; font:16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--text); background:#f7f7f5; }
  header { background:var(--blue); color:#fff; padding:12px 16px; }
  header h1 { margin:0; font-size:1.15rem; }
  header p { margin:2px 0 0; font-size:.9rem; opacity:.9; }
  main { max-width:760px; margin:0 auto; padding:8px 16px 40px; }
  section { background:#fff; border:1px solid #dde3ea; border-radius:10px; padding:4px 16px; margin:12px 0; }
  h2 { font-size:1.05rem; }
  a { color:var(--blue); overflow-wrap:anywhere; }
  a.back { display:inline-block; margin:12px 0 0; }
</style>
</head>
<body>
<header><h1>${esc(issue.title)}</h1><p>Newsletter „Hauptamt stärkt Ehrenamt“${issue.date ? ` · ${esc(issue.date)}` : ""}</p></header>
<main>
<a class="back" href="/">← Zum Chat</a>
${body}
</main>
</body>
</html>`;
}
