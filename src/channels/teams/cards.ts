import { CardFactory, type Activity, type Attachment } from "botbuilder";
import type { Source } from "../../core/types.js";
import { HANDOVER_BUTTON, MSG } from "../../core/messages.js";
import type { TicketRecord } from "../../store/store.js";
import { askedBefore, BEFORE_LABEL, channelLabel, reasonLabel, STATUS_LABEL } from "../../core/labels.js";
import { summaryOf } from "./text.js";

/** Adaptive Card schema version: 1.4 renders on Teams desktop, web and mobile. */
export const CARD_VERSION = "1.4";

type Element = Record<string, unknown>;

/** Data of every Action.Submit button; Teams sends it back as the `value` of a message activity. */
export type SubmitData =
  | { action: "feedback"; turnId: number; value: 1 | -1 }
  | { action: "handover"; turnId: number }
  | { action: "delete_confirm" }
  | { action: "delete_cancel" }
  | { action: "staff_claim"; ticketId: number }
  | { action: "staff_close"; ticketId: number }
  | { action: "staff_answer"; ticketId: number };

function card(body: Element[], actions: Element[] = []): Attachment {
  return CardFactory.adaptiveCard({
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: "Full" },
  });
}

const submit = (title: string, data: SubmitData, style?: "positive" | "destructive"): Element => ({
  type: "Action.Submit",
  title,
  data,
  ...(style ? { style } : {}),
});

const block = (text: string, extra: Element = {}): Element => ({ type: "TextBlock", text, wrap: true, ...extra });

/**
 * One TextBlock per line: Teams' card markdown collapses single line breaks and would turn "1. April"
 * into a list, so lines are kept apart by the layout instead.
 */
function textBlocks(text: string): Element[] {
  const out: Element[] = [];
  for (const para of text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean)) {
    const subtle = para.startsWith("Stand: ") || para === MSG.disclaimer || para.startsWith("Hinweis: ");
    para.split("\n").forEach((line, i) => {
      out.push(block(line, { spacing: i === 0 ? (out.length ? "Medium" : "None") : "None", ...(subtle ? { isSubtle: true, size: "Small" } : {}) }));
    });
  }
  return out;
}

/** A markdown link that survives odd titles and addresses; only http(s) targets become links. */
export function sourceLine(s: Source): string {
  const title = s.title.replace(/[[\]]/g, "").trim();
  let url: string | undefined;
  try {
    const u = s.url ? new URL(s.url) : undefined;
    if (u && (u.protocol === "https:" || u.protocol === "http:")) url = u.href.replace(/\(/g, "%28").replace(/\)/g, "%29");
  } catch {
    url = undefined; // a malformed link in the knowledge base is shown as plain title
  }
  return url ? `• [${title}](${url})` : `• ${title}`;
}

export interface AnswerCardInput {
  text: string;
  sources: Source[];
  /** The reply's action: under a hand-over the sources are entries that may help, not the answer's sources. */
  action?: string;
  turnId?: number;
  /** Feedback and hand-over buttons; off once one was pressed. */
  buttons: boolean;
  /** A closing line, e.g. after a button press. */
  footer?: string;
  /** The reply's choices: each sends its text as the mayor's next message (imBack). */
  choices?: { label: string; text: string }[];
}

/** The answer to a mayor's question: text, Quellen as links, Stand and disclaimer lines, buttons. */
export function answerCard(i: AnswerCardInput): Attachment {
  const body = textBlocks(i.text);
  if (i.sources.length) {
    body.push(block(MSG.sourcesHeading(i.action ?? "answer").replace(/:$/, ""), { weight: "Bolder", spacing: "Medium" }));
    for (const s of i.sources) body.push(block(sourceLine(s), { spacing: "None" }));
  }
  if (i.footer) body.push(block(i.footer, { weight: "Bolder", color: "Good", spacing: "Medium" }));
  const choices = (i.choices ?? []).map((c) => ({ type: "Action.Submit", title: c.label, data: { msteams: { type: "imBack", value: c.text } } }));
  const actions = [
    ...choices,
    ...(i.buttons && i.turnId
      ? [
          submit("👍", { action: "feedback", turnId: i.turnId, value: 1 }),
          submit("👎", { action: "feedback", turnId: i.turnId, value: -1 }),
          submit(HANDOVER_BUTTON, { action: "handover", turnId: i.turnId }),
        ]
      : []),
  ];
  return card(body, actions);
}

export function cardMessage(attachment: Attachment, summary: string): Partial<Activity> {
  return { type: "message", attachments: [attachment], summary: summaryOf(summary) };
}

export function deleteConfirmCard(done?: string): Attachment {
  if (done) return card([block(done)]);
  return card(
    [block("Möchten Sie alle Fragen und Vorgänge löschen, die der Ortslotse von Ihnen in Teams gespeichert hat?"), block("Das lässt sich nicht rückgängig machen.", { isSubtle: true })],
    [submit("Ja, löschen", { action: "delete_confirm" }, "destructive"), submit("Abbrechen", { action: "delete_cancel" })],
  );
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Text a mayor wrote, made inert for a TextBlock (which renders Markdown): "[hier anmelden](https://…)"
 * must not become a link staff click. A zero-width space between "]" and "(" breaks the link syntax and
 * keeps the address visible; backslash escapes are not honoured by every Teams client.
 */
export function userText(s: string): string {
  return s.replace(/\]\s*\(/g, "]\u200B(").replace(/(\*\*|__)/g, (m) => m.split("").join("\u200B"));
}

/** A ticket as staff see it in the Teams staff channel, with claim/close buttons and an answer field. */
export function ticketCard(t: TicketRecord, heading = "Neuer Vorgang"): Attachment {
  // "übernommen von Jana (Teams)": the name carries its channel in brackets already.
  const status = `${STATUS_LABEL[t.status]}${t.staffMember ? ` von ${t.staffMember}` : ""}`;
  const body: Element[] = [
    block(`${heading} Nr. ${t.id}`, { size: "Medium", weight: "Bolder" }),
    {
      type: "FactSet",
      facts: [
        { title: "Von", value: t.userName ? `${userText(t.userName)} (${channelLabel(t.channel)})` : channelLabel(t.channel) },
        { title: "Grund", value: reasonLabel(t.reason) },
        { title: "Status", value: status },
      ],
    },
    block("Frage", { weight: "Bolder", spacing: "Medium" }),
    block(userText(clip(t.question, 1500)), { spacing: "None" }),
  ];
  // "und bis wann?" alone tells staff nothing: what was asked before it stands under it, as on /staff.
  const before = askedBefore(t);
  if (before) body.push(block(`${BEFORE_LABEL} ${userText(clip(before, 600))}`, { spacing: "None", isSubtle: true }));
  // The first message is the question itself, shown above.
  const later = t.messages.slice(1).filter((m) => m.from === "mayor").slice(-3);
  if (later.length) {
    body.push(block("Weitere Nachrichten", { weight: "Bolder", spacing: "Medium" }));
    for (const m of later) body.push(block(`• ${userText(clip(m.text, 400))}`, { spacing: "None" }));
  }
  if (t.draftAnswer) {
    body.push(block("Entwurf des Ortslotsen", { weight: "Bolder", spacing: "Medium" }));
    body.push(block(clip(t.draftAnswer, 800), { spacing: "None", isSubtle: true }));
  }
  if (t.passages.length) {
    body.push(block("Passende Stellen", { weight: "Bolder", spacing: "Medium" }));
    for (const p of t.passages.slice(0, 3)) body.push(block(`• ${p.title}`, { spacing: "None", isSubtle: true }));
  }
  if (t.answer) {
    body.push(block("Antwort des Teams", { weight: "Bolder", spacing: "Medium" }));
    body.push(block(clip(t.answer, 1500), { spacing: "None" }));
  }
  const actions: Element[] = [];
  if (t.status === "open" || t.status === "claimed") {
    body.push({
      type: "Input.Text",
      id: "answer",
      isMultiline: true,
      maxLength: 4000,
      placeholder: "Antwort an die Ortsbürgermeisterin oder den Ortsbürgermeister",
      spacing: "Medium",
    });
    actions.push(submit("Antwort senden", { action: "staff_answer", ticketId: t.id }, "positive"));
    if (t.status === "open") actions.push(submit("Übernehmen", { action: "staff_claim", ticketId: t.id }));
  }
  if (t.status !== "closed") actions.push(submit("Erledigt", { action: "staff_close", ticketId: t.id }));
  return card(body, actions);
}
