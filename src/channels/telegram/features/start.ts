import { Composer } from "grammy";
import type { BotContext, TelegramDeps } from "../context.js";
import { incomingOf, targetOf } from "../conversation.js";
import { deliverReply, sendText } from "../reply.js";
import { T } from "../texts.js";

/**
 * /start: what the bot does, that staff read handed-over questions, how to reach a person, privacy.
 * In invite mode "/start CODE" (from the link https://t.me/<bot>?start=CODE) redeems the code in the core.
 */
export function startFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("start", async (ctx) => {
    const target = targetOf(ctx.msg);
    const code = ctx.match.trim();
    if (deps.config.accessMode === "invite" && !target.isGroup) {
      if (code) {
        const reply = await deps.core.assistant.ask(incomingOf(target, ctx.from, `/start ${code}`, ctx.update.update_id));
        await deliverReply(deps, ctx.api, ctx.log, target, reply);
        return;
      }
      const refusal = await deps.core.assistant.accessRefusal(incomingOf(target, ctx.from, "/start", ctx.update.update_id));
      if (refusal) {
        await deliverReply(deps, ctx.api, ctx.log, target, refusal);
        return;
      }
    }
    await sendText(ctx.api, target, target.isGroup ? T.welcomeGroup(ctx.me.username) : T.welcome(Boolean(deps.transcriber)));
  });

  // Added to a group: say once how to address the bot there (with privacy mode it reads nothing else).
  c.on("my_chat_member", async (ctx, next) => {
    const { chat, old_chat_member: before, new_chat_member: now } = ctx.myChatMember;
    const joined = (before.status === "left" || before.status === "kicked") && (now.status === "member" || now.status === "administrator");
    if (!joined || (chat.type !== "group" && chat.type !== "supergroup") || deps.staff?.matches(chat)) return next();
    await sendText(ctx.api, { chatId: chat.id }, T.welcomeGroup(ctx.me.username));
  });
  return c;
}
