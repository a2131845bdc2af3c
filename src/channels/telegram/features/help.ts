import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { targetOf } from "../conversation.js";
import { sendText } from "../reply.js";
import { T } from "../texts.js";

/** /hilfe (and /help, which Telegram clients suggest by habit). */
export function helpFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command(["hilfe", "help"], async (ctx) => {
    const target = targetOf(ctx.msg);
    await sendText(ctx.api, target, T.help, { replyTo: target.isGroup ? ctx.msg.message_id : undefined });
  });
  return c;
}
