import { TurnContext, type Activity, type ConversationReference } from "botbuilder";
import type { Incoming } from "../../core/types.js";

/** Group chats and team channels; a personal (1:1) chat is everything else. */
export function isGroupActivity(a: Partial<Activity>): boolean {
  const type = a.conversation?.conversationType;
  if (type) return type !== "personal";
  return Boolean(a.conversation?.isGroup);
}

/**
 * A channel thread arrives as "19:…@thread.tacv2;messageid=123". Questions and their history belong to the
 * thread; channel-wide things (digest subscription, staff channel) belong to the channel without the suffix.
 */
export function baseConversationId(id: string): string {
  return id.replace(/;messageid=\d+$/i, "");
}

/** True when the activity carries an @mention of the bot itself (Teams delivers group messages with one). */
export function mentionsBot(a: Partial<Activity>): boolean {
  const botId = a.recipient?.id;
  if (!botId) return false;
  return (a.entities ?? []).some(
    (e) => e.type === "mention" && (e as { mentioned?: { id?: string } }).mentioned?.id === botId,
  );
}

/** The question without "<at>Ortslotse</at>" (botbuilder removes the mention text of the recipient). */
export function textWithoutMention(a: Partial<Activity>): string {
  if (typeof a.text !== "string") return "";
  const copy = { ...a, text: a.text } as Activity;
  const stripped = mentionsBot(a) ? TurnContext.removeRecipientMention(copy) : copy.text;
  // Teams may leave a non-breaking space behind; other people's <at>Name</at> tags go too (names of third
  // persons are not needed to answer, and the core should not store them).
  return (stripped ?? "").replace(/<at>[^<]*<\/at>/g, " ").replace(/\u00a0/g, " ").trim();
}

export function referenceOf(a: Partial<Activity>): Partial<ConversationReference> {
  return TurnContext.getConversationReference(a);
}

/** The same reference, pointing at the channel itself instead of one thread in it. */
export function channelReference(ref: Partial<ConversationReference>): Partial<ConversationReference> {
  if (!ref.conversation) return ref;
  return { ...ref, activityId: undefined, conversation: { ...ref.conversation, id: baseConversationId(ref.conversation.id) } };
}

export function incomingOf(a: Partial<Activity>, text: string, requestId?: string): Incoming {
  return {
    channel: "teams",
    conversationId: a.conversation?.id ?? "",
    userId: a.from?.id ?? "",
    userName: a.from?.name || undefined,
    isGroup: isGroupActivity(a),
    text,
    reference: referenceOf(a),
    requestId,
  };
}
