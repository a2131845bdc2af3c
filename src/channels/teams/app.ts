import { Application, TurnState, type TeamsAdapter } from "@microsoft/teams-ai";
import { ActivityTypes, type TurnContext } from "botbuilder";
import type { Logger } from "pino";
import { z } from "zod";
import { MSG } from "../../core/messages.js";
import type { MayorHandlers } from "./mayor.js";
import type { StaffHandlers } from "./staff.js";
import { parseCommand } from "./commands.js";
import { isGroupActivity, mentionsBot, textWithoutMention } from "./conversation.js";
import { textMessage } from "./text.js";

export interface TeamsAppDeps {
  adapter: TeamsAdapter;
  appId?: string;
  mayor: MayorHandlers;
  staff: StaffHandlers;
  log: Logger;
}

/** Button data is client input: validated before use (Teams may send numbers as strings). */
const id = z.coerce.number().int().positive();
const Feedback = z.object({ turnId: id, value: z.coerce.number().refine((v): v is 1 | -1 => v === 1 || v === -1) });
const TurnRef = z.object({ turnId: id });
const TicketRef = z.object({ ticketId: id, answer: z.string().max(8000).optional() });
const FeedbackLoop = z.object({
  replyToId: z.string().min(1).max(512),
  actionValue: z.object({ reaction: z.enum(["like", "dislike"]), feedback: z.unknown() }),
});

const requestIdOf = (ctx: TurnContext) => ctx.turnState.get("ortslotse.requestId") as string | undefined;

/**
 * The teams-ai Application: routes (first match wins) for card buttons, installation, messages and invokes.
 * No AI planner and no teams-ai state storage: the core decides, and state lives in our store.
 */
export function createTeamsApplication(d: TeamsAppDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: d.adapter,
    botAppId: d.appId,
    // We strip the mention ourselves, after checking that the bot was mentioned at all.
    removeRecipientMention: false,
    // One typing indicator per question instead of a shared timer across concurrent turns.
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionSubmitFilter: "action" },
  });

  const badButton = async (ctx: TurnContext, what: string, err: z.ZodError) => {
    d.log.warn({ what, issues: err.issues.length }, "teams card submit with invalid data");
    await ctx.sendActivity(textMessage("Diese Schaltfläche kann ich nicht verarbeiten. Bitte schreiben Sie Ihre Frage neu."));
  };

  app.adaptiveCards.actionSubmit("feedback", async (ctx, _state, data) => {
    const v = Feedback.safeParse(data);
    if (!v.success) return badButton(ctx, "feedback", v.error);
    await d.mayor.feedback(ctx, v.data.turnId, v.data.value);
  });
  app.adaptiveCards.actionSubmit("handover", async (ctx, _state, data) => {
    const v = TurnRef.safeParse(data);
    if (!v.success) return badButton(ctx, "handover", v.error);
    await d.mayor.handover(ctx, v.data.turnId);
  });
  app.adaptiveCards.actionSubmit("delete_confirm", async (ctx) => d.mayor.deleteConfirmed(ctx, true));
  app.adaptiveCards.actionSubmit("delete_cancel", async (ctx) => d.mayor.deleteConfirmed(ctx, false));
  for (const action of ["staff_claim", "staff_close", "staff_answer"] as const) {
    app.adaptiveCards.actionSubmit(action, async (ctx, _state, data) => {
      const v = TicketRef.safeParse(data);
      if (!v.success) return badButton(ctx, action, v.error);
      if (action === "staff_claim") await d.staff.claim(ctx, v.data.ticketId);
      else if (action === "staff_close") await d.staff.close(ctx, v.data.ticketId);
      else await d.staff.answer(ctx, v.data.ticketId, v.data.answer ?? "");
    });
  }

  // Teams' own 👍/👎 under AI answers (channelData.feedbackLoopEnabled); teams-ai answers the invoke with 200.
  app.feedbackLoop(async (ctx, _state, data) => {
    const v = FeedbackLoop.safeParse(data);
    if (!v.success) return badButton(ctx, "feedback loop", v.error);
    await d.mayor.feedbackLoop(ctx, v.data.replyToId, v.data.actionValue.reaction, v.data.actionValue.feedback);
  });

  app.conversationUpdate("membersAdded", async (ctx) => {
    const botId = ctx.activity.recipient?.id;
    if ((ctx.activity.membersAdded ?? []).some((m) => m.id === botId)) await d.mayor.welcome(ctx);
  });

  app.activity(ActivityTypes.Message, async (ctx) => {
    const a = ctx.activity;
    if (typeof a.text !== "string" || !a.text.trim()) {
      if (a.value !== undefined) {
        d.log.warn("teams card submit with unknown action");
        await ctx.sendActivity(textMessage("Diese Schaltfläche kenne ich nicht (mehr). Bitte schreiben Sie Ihre Frage neu."));
      } else if (a.attachments?.length && !isGroupActivity(a)) {
        await ctx.sendActivity(textMessage(MSG.unsupported));
      } else if (!isGroupActivity(a)) {
        await d.mayor.question(ctx, "", requestIdOf(ctx));
      }
      return;
    }
    const group = isGroupActivity(a);
    // In group chats and channels the bot only listens when it is @mentioned (and stores nothing otherwise).
    if (group && !mentionsBot(a)) return;
    // "/frage …" is the Telegram group form; the digest and help texts mention it, so Teams accepts it too.
    const text = textWithoutMention(a).replace(/^\/frage\s+/i, "");
    const cmd = parseCommand(text);
    if (cmd?.kind === "staffRegister" || cmd?.kind === "staffUnregister") return d.staff.register(ctx, cmd.kind === "staffRegister");
    if (cmd) return d.mayor.command(ctx, cmd);
    await d.mayor.question(ctx, text, requestIdOf(ctx));
  });

  // Invokes we do not offer. Universal Actions (Action.Execute) from a foreign or old card get a
  // readable answer; everything else a 501 so Teams shows its own error instead of waiting.
  app.addRoute(
    async (ctx) => ctx.activity.type === ActivityTypes.Invoke,
    async (ctx) => {
      const name = ctx.activity.name ?? "";
      d.log.warn({ invoke: name }, "teams invoke not supported");
      const value =
        name === "adaptiveCard/action"
          ? { status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "Diese Aktion wird nicht unterstützt." } }
          : { status: 501 };
      await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value });
    },
    true,
  );

  app.error(async (ctx, err) => {
    d.log.error({ err, type: ctx.activity?.type }, "teams turn failed");
    if (ctx.activity?.type === ActivityTypes.Message) {
      try {
        await ctx.sendActivity(textMessage("Entschuldigung, da ist bei mir etwas schiefgegangen. Bitte versuchen Sie es noch einmal."));
      } catch (sendErr) {
        d.log.error({ err: sendErr }, "teams error message not delivered");
      }
    }
  });

  return app;
}
