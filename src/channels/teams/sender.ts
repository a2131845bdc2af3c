import type { Activity, CloudAdapter, ConversationReference, TurnContext } from "botbuilder";
import type { Logger } from "pino";
import { z } from "zod";
import { RecipientGoneError, type OutgoingMessage, type Sender } from "../../core/ports.js";
import type { ConversationRecord } from "../../store/store.js";
import { channelReference } from "./conversation.js";
import { textMessage } from "./text.js";

/** What a stored reference needs so the Bot Framework can deliver into it later. */
const StoredReference = z
  .object({
    serviceUrl: z.string().url(),
    channelId: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough();

export function parseReference(raw: unknown): Partial<ConversationReference> | undefined {
  const r = StoredReference.safeParse(raw);
  return r.success ? (r.data as unknown as Partial<ConversationReference>) : undefined;
}

/** HTTP status of a failed Bot Framework connector call, whatever error type the client threw. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  const s = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof s === "number" ? s : undefined;
}

/**
 * Proactive messages (staff answers, digests, staff-channel posts) through botbuilder's
 * continueConversationAsync with the stored conversation reference.
 */
export class TeamsProactive {
  constructor(
    private adapter: CloudAdapter,
    private appId: string,
  ) {}

  /** Runs `fn` in a turn for the stored conversation; 403/404 (bot removed, chat deleted) → RecipientGoneError. */
  async run<T>(reference: Partial<ConversationReference>, fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let result: T | undefined;
    let failure: { err: unknown } | undefined;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (ctx) => {
        // botbuilder gives the continuation activity a random id and would "reply" to it; a proactive
        // message is a new post in the conversation (or in the thread the reference points at).
        ctx.activity.id = undefined as unknown as string;
        try {
          result = await fn(ctx);
        } catch (err) {
          // Caught here: the adapter would hand it to onTurnError and the caller would never know.
          failure = { err };
        }
      });
      if (failure) throw failure.err;
    } catch (err) {
      const status = statusOf(err);
      if (status === 403 || status === 404) {
        throw new RecipientGoneError(`Teams-Unterhaltung nicht mehr erreichbar (HTTP ${status})`, { cause: err });
      }
      throw err;
    }
    return result as T;
  }

  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    return this.run(reference, async (ctx) => (await ctx.sendActivity(activity))?.id);
  }
}

/** The Sender port for channel "teams": staff answers and digests go out as text messages. */
export class TeamsSender implements Sender {
  readonly channel = "teams" as const;

  constructor(
    private proactive: TeamsProactive,
    private log: Logger,
  ) {}

  async send(conversation: ConversationRecord, message: OutgoingMessage): Promise<void> {
    const stored = parseReference(conversation.reference);
    if (!stored) {
      // Not "gone": the stored data is unusable, which staff must see rather than a silent unsubscribe.
      throw new Error("Für diese Teams-Unterhaltung ist keine gültige Adresse gespeichert");
    }
    // A digest starts a new post in a channel; a staff answer stays in the thread the question came from.
    const reference = message.kind === "digest" ? channelReference(stored) : { ...stored, activityId: undefined };
    await this.proactive.send(reference, textMessage(message.text));
    this.log.info({ kind: message.kind, ticket: message.ticketId }, "teams proactive message sent");
  }
}
