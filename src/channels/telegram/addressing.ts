import type { Message, MessageEntity, UserFromGetMe } from "grammy/types";

/**
 * Group etiquette: in groups the bot speaks only when addressed — an @mention, a reply to one of its
 * messages, or /frage (handled as a command). These helpers decide and strip the mention.
 */

type Msg = Pick<Message, "text" | "caption" | "entities" | "caption_entities" | "reply_to_message" | "message_thread_id" | "is_topic_message">;

function mentions(msg: Msg, me: UserFromGetMe): MessageEntity[] {
  const text = msg.text ?? msg.caption ?? "";
  const entities = msg.entities ?? msg.caption_entities ?? [];
  const handle = `@${me.username}`.toLowerCase();
  return entities.filter(
    (e) =>
      (e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === handle) ||
      (e.type === "text_mention" && e.user.id === me.id),
  );
}

/** A reply to one of the bot's messages (not the hidden "reply" to a forum topic's first message). */
export function repliesToBot(msg: Msg, me: UserFromGetMe): boolean {
  const r = msg.reply_to_message;
  if (!r || r.from?.id !== me.id) return false;
  if (msg.is_topic_message && r.message_id === msg.message_thread_id) return false;
  return !r.forum_topic_created;
}

export function isAddressed(msg: Msg, me: UserFromGetMe): boolean {
  return mentions(msg, me).length > 0 || repliesToBot(msg, me);
}

/** The question without the bot's @mention, or undefined when the message is not meant for the bot. */
export function addressedText(msg: Msg, me: UserFromGetMe): string | undefined {
  if (!isAddressed(msg, me)) return undefined;
  let text = msg.text ?? msg.caption ?? "";
  // Entity offsets are UTF-16 code units, like JavaScript string indices; cut from the end.
  for (const e of [...mentions(msg, me)].sort((a, b) => b.offset - a.offset)) {
    text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
  }
  return text.replace(/\s+/g, " ").replace(/^[\s,.:;!-]+/, "").trim();
}

/** A message that starts with a bot command, e.g. "/hilfe" or "/hilfe@ortslotse_bot". */
export function commandOf(msg: Pick<Message, "text" | "entities">): { name: string; target?: string } | undefined {
  const e = msg.entities?.[0];
  if (!e || e.type !== "bot_command" || e.offset !== 0 || !msg.text) return undefined;
  const [name, target] = msg.text.slice(1, e.length).split("@");
  return { name: name.toLowerCase(), target };
}
