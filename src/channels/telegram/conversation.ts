import { z } from "zod";
import type { Chat, Message, User } from "grammy/types";
import type { Incoming } from "../../core/types.js";
import type { Store } from "../../store/store.js";

/** Where to send in Telegram: the chat and, in forum supergroups, the topic. */
export interface ChatTarget {
  chatId: number;
  threadId?: number;
  isGroup: boolean;
}

/** Stored with the conversation so staff answers and digests reach the same chat/topic later. */
export const TelegramReference = z.object({ chatId: z.number().int(), threadId: z.number().int().positive().optional() });
export type TelegramReference = z.infer<typeof TelegramReference>;

export function isGroupChat(chat: Pick<Chat, "type">): boolean {
  return chat.type === "group" || chat.type === "supergroup";
}

/** The target of a message: its chat, plus its forum topic when it was written in one. */
export function targetOf(msg: Pick<Message, "chat" | "message_thread_id" | "is_topic_message">): ChatTarget {
  return {
    chatId: msg.chat.id,
    // Reply threads in ordinary supergroups also carry message_thread_id; only forum topics are separate conversations.
    threadId: msg.is_topic_message && msg.message_thread_id ? msg.message_thread_id : undefined,
    isGroup: isGroupChat(msg.chat),
  };
}

/** "chatId" or "chatId:threadId" for forum topics: each topic is its own conversation. */
export function conversationIdOf(t: Pick<ChatTarget, "chatId" | "threadId">): string {
  return t.threadId ? `${t.chatId}:${t.threadId}` : String(t.chatId);
}

export function referenceOf(t: ChatTarget): TelegramReference {
  return t.threadId ? { chatId: t.chatId, threadId: t.threadId } : { chatId: t.chatId };
}

/** Reads a stored reference; falls back to the conversation id for records written without one. */
export function parseReference(reference: unknown, conversationId: string): TelegramReference | undefined {
  const r = TelegramReference.safeParse(reference);
  if (r.success) return r.data;
  const m = /^(-?\d+)(?::(\d+))?$/.exec(conversationId);
  return m ? { chatId: Number(m[1]), ...(m[2] ? { threadId: Number(m[2]) } : {}) } : undefined;
}

export function personName(user: Pick<User, "first_name" | "last_name" | "username"> | undefined): string | undefined {
  if (!user) return undefined;
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  return name || (user.username ? `@${user.username}` : undefined);
}

export function incomingOf(target: ChatTarget, from: User | undefined, text: string, updateId?: number): Incoming {
  return {
    channel: "telegram",
    conversationId: conversationIdOf(target),
    userId: String(from?.id ?? target.chatId),
    userName: personName(from),
    isGroup: target.isGroup,
    text,
    reference: referenceOf(target),
    requestId: updateId !== undefined ? `tg-${updateId}` : undefined,
  };
}

/**
 * Stores the conversation reference before anything that may lead to a later message into this chat
 * (hand-over, feedback, digest). assistant.handle() stores it itself; the other entry points do not.
 */
export async function rememberConversation(store: Store, target: ChatTarget, chat: Pick<Chat, "type"> & { title?: string }): Promise<void> {
  await store.saveConversation({
    channel: "telegram",
    conversationId: conversationIdOf(target),
    isGroup: target.isGroup,
    reference: referenceOf(target),
    // Group titles help staff; a private chat's "title" would be the person's name, which we do not need.
    title: isGroupChat(chat) ? chat.title : undefined,
  });
}
