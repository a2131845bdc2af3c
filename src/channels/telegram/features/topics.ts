import { Composer } from "grammy";
import type { BotContext, TelegramDeps } from "../context.js";
import { targetOf } from "../conversation.js";
import { CB, topicsKeyboard } from "../keyboards.js";
import { sendText } from "../reply.js";
import { escapeHtml } from "../render.js";
import { T, TOPIC_QUESTIONS } from "../texts.js";
import { answerQuestion } from "./ask.js";
import { answerCallback } from "./callbacks.js";

/** /themen: example questions as buttons; a press asks that question like a typed message. */
export function topicsFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("themen", async (ctx) => {
    await sendText(ctx.api, targetOf(ctx.msg), T.topics, { keyboard: topicsKeyboard(TOPIC_QUESTIONS) });
  });
  c.callbackQuery(CB.topic, async (ctx) => {
    await answerCallback(ctx);
    const question = TOPIC_QUESTIONS[Number(ctx.match[1])];
    const msg = ctx.callbackQuery.message;
    if (!question || !msg) return;
    await answerQuestion(ctx, deps, targetOf(msg), question, {
      from: ctx.from,
      prefixHtml: `<b>${escapeHtml(T.askedQuestion(question))}</b>`,
    });
  });
  return c;
}
