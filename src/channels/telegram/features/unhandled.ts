import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { BotContext, TelegramDeps } from "../context.js";
import { commandOf, isAddressed } from "../addressing.js";
import { targetOf } from "../conversation.js";
import { sendText } from "../reply.js";
import { T } from "../texts.js";
import { answerCallback } from "./callbacks.js";

const KINDS = ["photo", "sticker", "animation", "document", "location", "venue", "video", "video_note", "audio", "voice", "contact", "poll", "dice"] as const;

function kindOf(msg: Message): string {
  return KINDS.find((k) => k in msg && (msg as unknown as Record<string, unknown>)[k] !== undefined) ?? "other";
}

/** Last in the chain: unknown commands, message types the bot cannot read, stale buttons. */
export function unhandledFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.on("message", async (ctx) => {
    const msg = ctx.msg;
    // Service messages (members joining, pinned messages, new titles) are not addressed to anyone.
    if (msg.new_chat_members || msg.left_chat_member || msg.pinned_message || msg.new_chat_title || msg.group_chat_created || msg.forum_topic_created) return;
    const target = targetOf(msg);
    const cmd = commandOf(msg);
    if (cmd) {
      // "/x@other_bot" is not ours; in groups other bots have commands too, so a bare "/x" is not either.
      const forUs = cmd.target?.toLowerCase() === ctx.me.username.toLowerCase();
      if (cmd.target ? !forUs : target.isGroup) return;
      await sendText(ctx.api, target, T.unknownCommand, { replyTo: target.isGroup ? msg.message_id : undefined });
      return;
    }
    if (target.isGroup && !isAddressed(msg, ctx.me)) return;
    if (msg.text !== undefined) return; // text is the ask feature's; here only if it was not for us
    const kind = kindOf(msg);
    const hint = `${T.unsupported[kind] ?? T.unsupported.other} ${T.canHandle(Boolean(deps.transcriber))}`;
    ctx.log.debug({ kind }, "unsupported message type");
    await sendText(ctx.api, target, hint, { replyTo: target.isGroup ? msg.message_id : undefined });
  });

  // A button from an older version of the bot, or data that does not parse: stop the spinner.
  c.on("callback_query", (ctx) => answerCallback(ctx, T.buttonExpired));

  // Deliberately ignored:
  // - edited_message: answering again would send a second answer and could open a second ticket for
  //   the same question; a mayor who corrects a question simply sends it again.
  // - channel_post / edited_channel_post: Ortslotse is not meant to read channels.
  // - everything else (reactions, inline queries, polls): not requested in allowed_updates anyway.
  return c;
}
