import type { Digest } from "../../digest/compose.js";
import { html, raw } from "./html.js";
import { page, type PageSession } from "./layout.js";

const CSS = raw(`.digest { white-space:pre-wrap; overflow-wrap:anywhere; }`);

/** The weekly digest as the subscribed chats would get it now: staff see what goes out without server access. */
export function digestPage(opts: { session: PageSession; digest: Digest; subscriptions: number; nextRun?: string; sendsEmpty: boolean }): string {
  const d = opts.digest;
  const n = opts.subscriptions;
  const to = n === 0 ? "an die Chats, die ihn einschalten – bisher keiner" : n === 1 ? "an den einen Chat, der ihn eingeschaltet hat" : `an die ${n} Chats, die ihn eingeschaltet haben`;
  const when = opts.nextRun ? html`Er geht ${opts.nextRun} Uhr ${to}.` : html`Er geht ${to}.`;
  return page({
    title: "Wochenüberblick",
    session: opts.session,
    active: "digest",
    extraCss: CSS,
    body: html`<h1>Wochenüberblick – Vorschau</h1>
<p class="muted">So sähe der Wochenüberblick aus, wenn er jetzt verschickt würde. ${when} Er entsteht aus dem, was unter „Wissen“ veröffentlicht ist, den Fristen der Förderprogramme und den Fragen der Woche; ändern Sie dort etwas, steht es hier sofort.</p>
${d.empty ? html`<p class="notice info">Diese Woche gibt es nichts Neues. ${opts.sendsEmpty ? "Er wird trotzdem verschickt." : "Er wird deshalb nicht verschickt."}</p>` : ""}
<div class="card digest">${d.text}</div>
<p class="muted small">In einem Chat schaltet „/digest an“ ihn ein und „/digest aus“ wieder aus.</p>`,
  });
}
