import { CSRF_FIELD } from "../csrf.js";
import { MIN_PASSWORD_LENGTH } from "../auth.js";
import { html, raw } from "./html.js";
import { csrfField, page, type PageSession } from "./layout.js";

const NARROW = raw(`.narrow { max-width:420px; margin:24px auto; } .narrow button { width:100%; margin-top:16px; }`);

export function loginPage(opts: { csrf: string; next: string; name?: string; error?: string; info?: string }): string {
  return page({
    title: "Anmelden",
    extraCss: NARROW,
    body: html`<div class="narrow">
  <h1>Anmelden</h1>
  ${opts.info ? html`<p class="notice info" role="status">${opts.info}</p>` : ""}
  ${opts.error ? html`<p class="notice err" role="alert">${opts.error}</p>` : ""}
  <form method="post" action="/staff/login" class="card">
    <input type="hidden" name="${CSRF_FIELD}" value="${opts.csrf}">
    <input type="hidden" name="next" value="${opts.next}">
    <label for="name">Benutzername</label>
    <input type="text" id="name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${opts.name ?? ""}">
    <label for="password">Passwort</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <button type="submit">Anmelden</button>
  </form>
  <p class="hint">Einen Zugang oder ein neues Einmal-Passwort erhalten Sie von der Administration des Ortslotsen.</p>
</div>`,
  });
}

export function passwordPage(opts: { session: PageSession; forced: boolean; error?: string }): string {
  return page({
    title: "Passwort ändern",
    session: opts.session,
    extraCss: NARROW,
    body: html`<div class="narrow">
  <h1>${opts.forced ? "Neues Passwort festlegen" : "Passwort ändern"}</h1>
  ${opts.forced ? html`<p class="notice info" role="status">Sie haben sich mit einem Einmal-Passwort angemeldet. Bitte legen Sie jetzt Ihr eigenes Passwort fest – erst danach öffnen sich Vorgänge, Wissen und die anderen Seiten.</p>` : ""}
  ${opts.error ? html`<p class="notice err" role="alert">${opts.error}</p>` : ""}
  <form method="post" action="/staff/passwort" class="card">
    ${csrfField(opts.session)}
    <label for="current">${opts.forced ? "Einmal-Passwort (dasselbe wie eben bei der Anmeldung)" : "Bisheriges Passwort"}</label>
    <input type="password" id="current" name="current" autocomplete="current-password" required>
    <label for="next">Neues Passwort</label>
    <input type="password" id="next" name="next" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
    <p class="hint">Mindestens ${MIN_PASSWORD_LENGTH} Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und sicher.</p>
    <label for="repeat">Neues Passwort wiederholen</label>
    <input type="password" id="repeat" name="repeat" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
    <button type="submit">Passwort speichern</button>
  </form>
</div>`,
  });
}
