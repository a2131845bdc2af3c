import { Composer, InputFile } from "grammy";
import type { BotContext, TelegramDeps } from "../context.js";
import { PRIVACY_TEXT } from "../../../core/privacy.js";
import { MSG } from "../../../core/messages.js";
import { collectMyData, describeMyData, hasMyData } from "../../../core/my-data.js";
import { conversationIdOf, targetOf } from "../conversation.js";
import { CB, deleteConfirmKeyboard } from "../keyboards.js";
import { sendHtml, sendText } from "../reply.js";
import { escapeHtml } from "../render.js";
import { T } from "../texts.js";
import { answerCallback, removeKeyboard } from "./callbacks.js";


/** /datenschutz, /meine_daten (summary + JSON file), /loeschen (with a confirm button). */
export function privacyFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = deps.core.store;

  c.command("datenschutz", async (ctx) => {
    const [title, ...rest] = PRIVACY_TEXT.split("\n\n");
    await sendHtml(ctx.api, targetOf(ctx.msg), `<b>${escapeHtml(title)}</b>\n\n${escapeHtml(rest.join("\n\n"))}`);
  });

  c.command("meine_daten", async (ctx) => {
    const target = targetOf(ctx.msg);
    // Personal data never goes into a group, where others would read it.
    if (target.isGroup || !ctx.from) {
      await sendText(ctx.api, target, T.privateOnly("/meine_daten"), { replyTo: ctx.msg.message_id });
      return;
    }
    const data = await collectMyData(store, "telegram", String(ctx.from.id));
    await sendText(ctx.api, target, describeMyData(data, `Telegram-Nutzerkennung ${ctx.from.id}`, "/loeschen"));
    if (!hasMyData(data)) return;
    const json = JSON.stringify({ exportedAt: new Date().toISOString(), channel: "telegram", userId: String(ctx.from.id), ...data }, null, 2);
    try {
      await ctx.api.sendDocument(target.chatId, new InputFile(Buffer.from(json, "utf8"), "ortslotse-meine-daten.json"), { caption: T.dataFileCaption });
    } catch (err) {
      ctx.log.warn({ err }, "data export file could not be sent");
    }
  });

  c.command("loeschen", async (ctx) => {
    const target = targetOf(ctx.msg);
    if (target.isGroup) {
      await sendText(ctx.api, target, T.privateOnly("/loeschen"), { replyTo: ctx.msg.message_id });
      return;
    }
    await sendText(ctx.api, target, T.deleteConfirm, { keyboard: deleteConfirmKeyboard() });
  });

  c.callbackQuery(CB.deleteData, async (ctx) => {
    await answerCallback(ctx);
    await removeKeyboard(ctx);
    const msg = ctx.callbackQuery.message;
    if (!msg) return;
    const target = targetOf(msg);
    if (target.isGroup) return; // the confirm button only exists in private chats
    if (ctx.match[1] !== "yes") {
      await sendText(ctx.api, target, T.deleteCancelled);
      return;
    }
    const n = await deps.core.handover.eraseUser("telegram", String(ctx.from.id));
    // The private chat's weekly digest is personal too.
    await store.unsubscribe("telegram", conversationIdOf(target));
    ctx.log.info({ deleted: n }, "user data deleted on request");
    await sendText(ctx.api, target, MSG.privacy.deleted(n));
  });

  return c;
}
