import { Composer } from "grammy";
import type { BotContext, TelegramDeps } from "../context.js";
import { handleDigestCommand } from "../../../digest/digest-command.js";
import { conversationIdOf, rememberConversation, targetOf } from "../conversation.js";
import { sendText } from "../reply.js";
import { T } from "../texts.js";

const ADMIN = new Set(["creator", "administrator"]);

/** /digest an|aus|(leer); in groups only admins may switch it. Removal from a group ends its digest. */
export function digestFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = deps.core.store;

  c.command("digest", async (ctx) => {
    const msg = ctx.msg;
    const target = targetOf(msg);
    const replyTo = target.isGroup ? msg.message_id : undefined;
    let isAdmin = !target.isGroup;
    if (target.isGroup) {
      if (msg.sender_chat?.id === msg.chat.id) {
        // Anonymous group admins write "as the group"; only admins can do that.
        isAdmin = true;
      } else if (ctx.from) {
        try {
          isAdmin = ADMIN.has((await ctx.api.getChatMember(msg.chat.id, ctx.from.id)).status);
        } catch (err) {
          ctx.log.warn({ err }, "admin check for /digest failed");
          await sendText(ctx.api, target, T.digestAdminCheckFailed, { replyTo });
          return;
        }
      }
    }
    // The digest sender needs the chat reference later.
    await rememberConversation(store, target, msg.chat);
    const text = await handleDigestCommand({
      store, channel: "telegram", conversationId: conversationIdOf(target), userId: String(ctx.from?.id ?? msg.chat.id),
      arg: ctx.match, isGroup: target.isGroup, isAdmin, cron: deps.config.digest.cron, timezone: deps.config.digest.timezone,
    });
    await sendText(ctx.api, target, text, { replyTo });
  });

  // The bot was removed from a group or blocked in a private chat: stop sending digests there.
  c.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== "left" && status !== "kicked") return;
    const chatId = String(ctx.myChatMember.chat.id);
    const subs = (await store.listSubscriptions()).filter((s) => s.channel === "telegram" && (s.conversationId === chatId || s.conversationId.startsWith(`${chatId}:`)));
    for (const s of subs) await store.unsubscribe("telegram", s.conversationId);
    if (subs.length) ctx.log.info({ chatId, removed: subs.length }, "digest unsubscribed: bot removed from chat");
  });

  // A group upgraded to a supergroup gets a new id; its subscription moves along.
  c.on("message:migrate_to_chat_id", async (ctx) => {
    const from = String(ctx.chat.id);
    const to = String(ctx.msg.migrate_to_chat_id);
    if (!(await store.isSubscribed("telegram", from))) return;
    const sub = (await store.listSubscriptions()).find((s) => s.channel === "telegram" && s.conversationId === from);
    await store.saveConversation({ channel: "telegram", conversationId: to, isGroup: true, reference: { chatId: Number(to) } });
    await store.subscribe({ channel: "telegram", conversationId: to, createdBy: sub?.createdBy });
    await store.unsubscribe("telegram", from);
    ctx.log.info({ from, to }, "digest subscription moved to supergroup");
  });

  return c;
}
