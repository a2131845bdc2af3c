import type { ChannelAccount, TurnContext } from "botbuilder";
import type { Logger } from "pino";
import type { Core } from "../../app.js";
import type { TicketRecord } from "../../store/store.js";
import { cardMessage, ticketCard } from "./cards.js";
import { baseConversationId, channelReference, isGroupActivity, referenceOf } from "./conversation.js";
import { STAFF_CONVERSATION_KEY, STAFF_REFERENCE_KEY } from "./staff-notifier.js";
import { textMessage } from "./text.js";

export interface StaffDeps {
  core: Core;
  /** AAD object ids or Teams user ids (TEAMS_STAFF_USERS). */
  staffUsers: string[];
  log: Logger;
}

const NOT_STAFF =
  "Das dürfen nur Mitarbeitende der Kreisverwaltung, die für den Ortslotsen freigeschaltet sind. Bitte wenden Sie sich an das Projektteam.";

/** Staff in Teams: register the staff channel, claim, close and answer tickets from their cards. */
export class StaffHandlers {
  private staff: Set<string>;

  constructor(private d: StaffDeps) {
    this.staff = new Set(d.staffUsers.map((s) => s.toLowerCase()));
  }

  isStaff(from: ChannelAccount | undefined): boolean {
    if (!from) return false;
    return [from.aadObjectId, from.id].some((id) => typeof id === "string" && this.staff.has(id.toLowerCase()));
  }

  private staffName(from: ChannelAccount): string {
    return `${from.name || from.id} (Teams)`;
  }

  async register(ctx: TurnContext, on: boolean): Promise<void> {
    const a = ctx.activity;
    if (!this.isStaff(a.from)) {
      this.d.log.warn("teams staff registration refused: user not on TEAMS_STAFF_USERS");
      await ctx.sendActivity(textMessage(NOT_STAFF));
      return;
    }
    if (!isGroupActivity(a)) {
      await ctx.sendActivity(
        textMessage("Bitte schreiben Sie „@Ortslotse staff registrieren“ in dem Teams-Kanal oder Gruppenchat, in dem das Team die Vorgänge sehen soll."),
      );
      return;
    }
    const conversationId = baseConversationId(a.conversation.id);
    if (!on) {
      const current = await this.d.core.store.getState(STAFF_CONVERSATION_KEY);
      if (current === conversationId) {
        await this.d.core.store.setState(STAFF_CONVERSATION_KEY, "");
        await this.d.core.store.deleteState(STAFF_REFERENCE_KEY);
      }
      await ctx.sendActivity(textMessage("Dieser Chat erhält keine neuen Vorgänge mehr. Offene Vorgänge sehen Sie weiter auf der Seite /staff."));
      return;
    }
    const reference = channelReference(referenceOf(a));
    await this.d.core.store.saveConversation({ channel: "teams", conversationId, isGroup: true, reference });
    await this.d.core.store.setState(STAFF_CONVERSATION_KEY, conversationId);
    await this.d.core.store.setState(STAFF_REFERENCE_KEY, JSON.stringify(reference));
    this.d.log.info("teams staff conversation registered");
    await ctx.sendActivity(
      textMessage(
        "Dieser Chat ist jetzt der Team-Kanal des Ortslotsen.\n\n" +
          "Neue Vorgänge erscheinen hier als Karte. Mit „Übernehmen“ zeigen Sie, dass Sie sich kümmern. " +
          "Schreiben Sie Ihre Antwort in das Feld der Karte und drücken Sie „Antwort senden“: Sie geht an die Ortsbürgermeisterin oder den Ortsbürgermeister in den Chat, aus dem die Frage kam.",
      ),
    );
  }

  async claim(ctx: TurnContext, ticketId: number): Promise<void> {
    if (!(await this.allowed(ctx))) return;
    const t = await this.d.core.handover.claim(ticketId, this.staffName(ctx.activity.from));
    if (!t) {
      await ctx.sendActivity(textMessage(`Vorgang Nr. ${ticketId} kann nicht übernommen werden. Er ist nicht mehr offen.`));
      return;
    }
    await this.updatePressedCard(ctx, t);
    await ctx.sendActivity(textMessage(`Vorgang Nr. ${t.id} ist jetzt bei ${t.staffMember ?? this.staffName(ctx.activity.from)}.`));
  }

  async close(ctx: TurnContext, ticketId: number): Promise<void> {
    if (!(await this.allowed(ctx))) return;
    const t = await this.d.core.handover.close(ticketId, this.staffName(ctx.activity.from));
    if (!t) {
      await ctx.sendActivity(textMessage(`Vorgang Nr. ${ticketId} wurde nicht gefunden.`));
      return;
    }
    await this.updatePressedCard(ctx, t);
    await ctx.sendActivity(textMessage(`Vorgang Nr. ${t.id} ist erledigt.`));
  }

  /** The answer goes through the core, which delivers it in the channel the mayor asked from. */
  async answer(ctx: TurnContext, ticketId: number, text: string): Promise<void> {
    if (!(await this.allowed(ctx))) return;
    if (!text.trim()) {
      await ctx.sendActivity(textMessage("Bitte schreiben Sie zuerst Ihre Antwort in das Feld der Karte."));
      return;
    }
    const res = await this.d.core.handover.answer(ticketId, this.staffName(ctx.activity.from), text);
    if (!res.delivered) {
      await ctx.sendActivity(
        textMessage(`Die Antwort zu Vorgang Nr. ${ticketId} wurde nicht zugestellt: ${res.error ?? "unbekannter Fehler"}. Der Vorgang bleibt offen.`),
      );
      return;
    }
    if (res.ticket) await this.updatePressedCard(ctx, res.ticket);
    await ctx.sendActivity(textMessage(`Die Antwort zu Vorgang Nr. ${ticketId} ist zugestellt.`));
  }

  private async allowed(ctx: TurnContext): Promise<boolean> {
    if (this.isStaff(ctx.activity.from)) return true;
    this.d.log.warn("teams staff action refused: user not on TEAMS_STAFF_USERS");
    await ctx.sendActivity(textMessage(NOT_STAFF));
    return false;
  }

  private async updatePressedCard(ctx: TurnContext, t: TicketRecord): Promise<void> {
    const id = ctx.activity.replyToId;
    if (!id) return;
    try {
      await ctx.updateActivity({ ...cardMessage(ticketCard(t, "Vorgang"), `Vorgang Nr. ${t.id}`), id });
    } catch (err) {
      this.d.log.warn({ err, ticket: t.id }, "teams ticket card not updated");
    }
  }
}
