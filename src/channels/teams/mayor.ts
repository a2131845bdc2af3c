import type { Activity, TurnContext } from "botbuilder";
import type { Logger } from "pino";
import type { Core } from "../../app.js";
import type { Config } from "../../config.js";
import type { Reply, Source } from "../../core/types.js";
import { collectMyData, describeMyData } from "../../core/my-data.js";
import { MSG, TOPIC_QUESTIONS } from "../../core/messages.js";
import { PRIVACY_TEXT } from "../../core/privacy.js";
import { sanitizeText } from "../../core/sanitize.js";
import { toSource } from "../../answer/format.js";
import { TURN_REFERENCE_PREFIX } from "../../store/store.js";
import { handleDigestCommand } from "../../digest/digest-command.js";
import { answerCard, cardMessage, deleteConfirmCard } from "./cards.js";
import type { Command } from "./commands.js";
import { baseConversationId, channelReference, incomingOf, isGroupActivity, referenceOf } from "./conversation.js";
import { textMessage } from "./text.js";
import { aiAnswerMessage } from "./ai-message.js";

export interface MayorDeps {
  core: Core;
  config: Config;
  log: Logger;
}

const FEEDBACK_DONE = "Danke für Ihre Rückmeldung.";
const HANDOVER_DONE = "Danke für Ihre Rückmeldung. Ihre Frage ist an das Team weitergegeben.";

const HELP_PERSONAL =
  "So funktioniert der Ortslotse:\n" +
  "• Schreiben Sie Ihre Frage einfach als Nachricht, gern kurz.\n" +
  "• Unter jeder Antwort stehen die Quellen. Mit 👍 oder 👎 sagen Sie mir, ob sie geholfen hat.\n" +
  "• „An das Team weitergeben“ oder „mensch“: Ihre Frage geht an das Team der Kreisverwaltung. Die Antwort kommt hier in diesen Chat.\n\n" +
  "Weitere Befehle: „themen“, „digest an“ / „digest aus“ (Wochenüberblick), „datenschutz“, „meine daten“, „löschen“.";

const HELP_GROUP =
  "So funktioniert der Ortslotse in diesem Chat:\n" +
  "• Erwähnen Sie mich mit @Ortslotse und schreiben Sie Ihre Frage dazu.\n" +
  "• Ohne Erwähnung lese ich nicht mit.\n\n" +
  "Befehle (immer mit @Ortslotse): „themen“, „mensch“, „digest an“ / „digest aus“, „datenschutz“. " +
  "Persönliche Fragen stellen Sie mir besser im Einzelchat.";

/** Everything a mayor does in Teams: questions, buttons under answers, commands, installation. */
export class MayorHandlers {
  constructor(private d: MayorDeps) {}

  async welcome(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const group = isGroupActivity(a);
    await this.d.core.store.saveConversation({ channel: "teams", conversationId: a.conversation.id, isGroup: group, reference: referenceOf(a) });
    const hint = group
      ? "In diesem Chat antworte ich, wenn Sie mich mit @Ortslotse erwähnen. „@Ortslotse hilfe“ zeigt, was ich kann."
      : "Schreiben Sie „hilfe“, um zu sehen, was ich kann.";
    await ctx.sendActivity(textMessage(`${MSG.greeting}\n\n${hint}`));
    this.d.log.info({ group }, "teams welcome sent");
  }

  /** A question: core → Adaptive Card. A failed delivery after the turn was stored opens a ticket. */
  async question(ctx: TurnContext, text: string, requestId?: string): Promise<void> {
    const inc = incomingOf(ctx.activity, text, requestId);
    // Typing indicator while the core works; a slow or failing connector must not hold up the answer.
    const typing = ctx.sendActivity({ type: "typing" }).catch((err) => this.d.log.debug({ err }, "typing indicator not sent"));
    const reply = await this.d.core.assistant.ask(inc);
    await Promise.race([typing, new Promise((r) => setTimeout(r, 1000).unref())]);
    try {
      const sent = await ctx.sendActivity(this.render(reply));
      // Teams' feedback loop names the answer only by its activity id: remember which turn that was.
      if (reply.turnId && reply.offerFeedback && sent?.id) await this.rememberAnswer(ctx.activity.conversation.id, sent.id, reply.turnId);
    } catch (err) {
      this.d.log.error({ err, turn: reply.turnId, action: reply.action }, "teams reply not delivered");
      await this.d.core.assistant.keepUndelivered(inc, reply);
    }
  }

  private answerKey(conversationId: string, activityId: string): string {
    return `${TURN_REFERENCE_PREFIX}teams:${conversationId}:${activityId}`;
  }

  private async rememberAnswer(conversationId: string, activityId: string, turnId: number): Promise<void> {
    await this.d.core.store.setState(this.answerKey(conversationId, activityId), String(turnId)).catch((err) => this.d.log.warn({ err }, "answer id not kept for feedback"));
  }

  /**
   * Teams' own 👍/👎 under an answer (feedback loop), with the optional comment: stored like the buttons in
   * other channels; a 👎 hands the question over, and the comment goes into that Vorgang.
   */
  async feedbackLoop(ctx: TurnContext, replyToId: string, reaction: "like" | "dislike", feedback: unknown): Promise<void> {
    const raw = await this.d.core.store.getState(this.answerKey(ctx.activity.conversation.id, replyToId));
    if (!raw) {
      await ctx.sendActivity(textMessage("Diese Rückmeldung kann ich keiner Antwort mehr zuordnen. Schreiben Sie gern „mensch“, wenn Sie Hilfe möchten."));
      return;
    }
    const reply = await this.d.core.assistant.feedback(incomingOf(ctx.activity, ""), Number(raw), reaction === "like" ? 1 : -1);
    if (!reply) return;
    const comment = commentOf(feedback);
    if (comment && reply.ticket) await this.d.core.store.addTicketMessage(reply.ticket.id, { from: "mayor", text: `Kommentar zur Bewertung: ${sanitizeText(comment).stored}` });
    await ctx.sendActivity(this.render(reply));
  }

  /** Answers as Teams shows AI answers (label, citations, feedback loop); other replies as text or a card. */
  render(reply: Reply): Partial<Activity> {
    if (reply.action === "answer") return aiAnswerMessage(reply);
    if (!reply.sources.length && !(reply.offerFeedback && reply.turnId)) return textMessage(reply.text);
    return cardMessage(answerCard({ text: reply.text, sources: reply.sources, action: reply.action, turnId: reply.turnId, buttons: reply.offerFeedback, choices: reply.choices }), reply.text);
  }

  async feedback(ctx: TurnContext, turnId: number, value: 1 | -1): Promise<void> {
    const inc = incomingOf(ctx.activity, "");
    const reply = await this.d.core.assistant.feedback(inc, turnId, value);
    if (!reply) {
      await ctx.sendActivity(textMessage("Diese Schaltfläche gehört zu einer anderen Unterhaltung. Bitte stellen Sie Ihre Frage hier neu."));
      return;
    }
    await this.closeCard(ctx, turnId, FEEDBACK_DONE);
    await ctx.sendActivity(this.render(reply));
  }

  async handover(ctx: TurnContext, turnId: number): Promise<void> {
    const reply = await this.d.core.assistant.requestHuman(incomingOf(ctx.activity, ""), turnId);
    await this.closeCard(ctx, turnId, HANDOVER_DONE);
    await ctx.sendActivity(this.render(reply));
  }

  /** Replaces the pressed card with the same answer without buttons, so a button cannot be pressed twice. */
  private async closeCard(ctx: TurnContext, turnId: number, footer: string): Promise<void> {
    const cardId = ctx.activity.replyToId;
    if (!cardId) return;
    const turn = await this.d.core.store.getTurn(turnId);
    if (!turn || turn.conversationId !== ctx.activity.conversation.id) return;
    const sources: Source[] = turn.sourceIds.flatMap((id) => {
      const chunk = this.d.core.retriever.chunk(id);
      return chunk ? [toSource({ chunk, score: 0, vectorSim: 0, lexicalScore: 0, coverage: 0 })] : [];
    });
    try {
      await ctx.updateActivity({ ...cardMessage(answerCard({ text: turn.answer, sources, action: turn.action, buttons: false, footer }), turn.answer), id: cardId });
    } catch (err) {
      // The feedback is stored either way; a second press is answered by the core ("bereits erhalten").
      this.d.log.warn({ err, turn: turnId }, "teams answer card not updated");
    }
  }

  async command(ctx: TurnContext, cmd: Command): Promise<void> {
    const a = ctx.activity;
    const group = isGroupActivity(a);
    // Commands bypass core.handle, which stores the reference; "mensch" and digests need it to answer later.
    await this.d.core.store.saveConversation({ channel: "teams", conversationId: a.conversation.id, isGroup: group, reference: referenceOf(a) });
    switch (cmd.kind) {
      case "start":
        await ctx.sendActivity(textMessage(MSG.greeting));
        return;
      case "help":
        await ctx.sendActivity(textMessage(group ? HELP_GROUP : HELP_PERSONAL));
        return;
      case "topics":
        // Like Telegram's /themen: the example questions as buttons; a tap asks it.
        await ctx.sendActivity({ ...textMessage(this.topicsText()), suggestedActions: { to: [], actions: TOPIC_QUESTIONS.map((q) => ({ type: "imBack", title: q, value: q })) } });
        return;
      case "human":
        await ctx.sendActivity(this.render(await this.d.core.assistant.requestHuman(incomingOf(a, ""))));
        return;
      case "privacy":
        await ctx.sendActivity(textMessage(PRIVACY_TEXT.replace("„/meine_daten“", "„meine Daten“").replace("„/loeschen“", "„löschen“")));
        return;
      case "digest":
        await ctx.sendActivity(textMessage(await this.digest(ctx, cmd.arg)));
        return;
      case "myData":
        await ctx.sendActivity(textMessage(group ? "Ihre gespeicherten Daten zeige ich nur im Einzelchat. Bitte schreiben Sie mir dort „meine daten“." : await this.myData(a.from.id)));
        return;
      case "delete":
        if (group) {
          await ctx.sendActivity(textMessage("Das Löschen Ihrer Daten geht nur im Einzelchat. Bitte schreiben Sie mir dort „löschen“."));
          return;
        }
        await ctx.sendActivity(cardMessage(deleteConfirmCard(), "Daten löschen?"));
        return;
      default:
        return;
    }
  }

  async deleteConfirmed(ctx: TurnContext, confirmed: boolean): Promise<void> {
    const a = ctx.activity;
    if (isGroupActivity(a)) return;
    let text = "In Ordnung, ich habe nichts gelöscht.";
    if (confirmed) {
      const n = await this.d.core.handover.eraseUser("teams", a.from.id);
      this.d.log.info({ deleted: n }, "teams user data deleted on request");
      text = MSG.privacy.deleted(n);
    }
    if (a.replyToId) {
      await ctx.updateActivity({ ...cardMessage(deleteConfirmCard(text), text), id: a.replyToId }).catch((err) => this.d.log.warn({ err }, "delete card not updated"));
    }
    await ctx.sendActivity(textMessage(text));
  }

  private async digest(ctx: TurnContext, arg: string): Promise<string> {
    const a = ctx.activity;
    const group = isGroupActivity(a);
    // The digest belongs to the chat or channel as a whole, not to one thread in a channel.
    const conversationId = baseConversationId(a.conversation.id);
    await this.d.core.store.saveConversation({ channel: "teams", conversationId, isGroup: group, reference: channelReference(referenceOf(a)) });
    return handleDigestCommand({
      store: this.d.core.store, channel: "teams", conversationId, userId: a.from.id, arg, isGroup: group,
      // Teams tells a bot no owner role without extra Graph permissions: whoever may @mention the bot
      // in the chat may switch its weekly digest (reversible, sends nothing but the digest).
      isAdmin: true,
      cron: this.d.config.digest.cron, timezone: this.d.config.digest.timezone,
    });
  }

  private topicsText(): string {
    const faqs = this.d.core.retriever.docs.filter((d) => d.kind === "faq").slice(0, 6);
    if (!faqs.length) return MSG.capabilities;
    return `${MSG.capabilities}\n\nHäufige Fragen, zum Beispiel:\n${faqs.map((d) => `• ${d.title}`).join("\n")}`;
  }

  private async myData(userId: string): Promise<string> {
    return describeMyData(await collectMyData(this.d.core.store, "teams", userId), "in Microsoft Teams", "„löschen“");
  }

}

/** The comment a mayor typed into Teams' feedback box ("feedbackText" in a JSON string, or the string itself). */
function commentOf(feedback: unknown): string | undefined {
  let v: unknown = feedback;
  if (typeof feedback === "string") {
    try {
      v = JSON.parse(feedback);
    } catch {
      return feedback.trim() || undefined;
    }
  }
  const text = v && typeof v === "object" ? (v as { feedbackText?: unknown }).feedbackText : undefined;
  return typeof text === "string" && text.trim() ? text.trim().slice(0, 1000) : undefined;
}
