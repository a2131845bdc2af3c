import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { targetOf } from "../conversation.js";
import { sendText } from "../reply.js";
import { T } from "../texts.js";

/** /start: what the bot does, that staff read handed-over questions, how to reach a person, privacy. */
export function startFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("start", async (ctx) => {
    const target = targetOf(ctx.msg);
    // "/start CODE" (deep links) carries an invite code once ACCESS_MODE=invite exists; today it is a plain start.
    await sendText(ctx.api, target, target.isGroup ? T.welcomeGroup(ctx.me.username) : T.welcome);
  });
  return c;
}
