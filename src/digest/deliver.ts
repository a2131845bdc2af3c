import type { Logger } from "pino";
import type { ChannelName } from "../core/types.js";
import { RecipientGoneError, type Sender } from "../core/ports.js";
import type { Store } from "../store/store.js";
import type { Digest } from "./compose.js";

export interface DeliveryReport {
  key: string;
  sent: number;
  skipped: number;
  failed: number;
  unsubscribed: number;
}

export interface DeliveryOptions {
  store: Store;
  senderFor: (channel: ChannelName) => Sender | undefined;
  log: Logger;
  /** Attempts per chat before giving up for this run (the next run retries failed chats). */
  attempts?: number;
  /** First back-off pause; doubles each attempt. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends one digest to every subscribed chat exactly once: each chat is claimed in the database before
 * sending, so a restart mid-run or a second instance skips chats already done.
 */
export async function deliverDigest(digest: Digest, o: DeliveryOptions): Promise<DeliveryReport> {
  const attempts = o.attempts ?? 3;
  const backoff = o.backoffMs ?? 2000;
  const sleep = o.sleep ?? defaultSleep;
  const report: DeliveryReport = { key: digest.key, sent: 0, skipped: 0, failed: 0, unsubscribed: 0 };
  for (const sub of await o.store.listSubscriptions()) {
    if (!(await o.store.claimDigestDelivery(digest.key, sub.channel, sub.conversationId))) {
      report.skipped++;
      continue;
    }
    const sender = o.senderFor(sub.channel);
    const conv = await o.store.getConversation(sub.channel, sub.conversationId);
    if (!sender || !conv) {
      await o.store.markDigestDelivered(digest.key, sub.channel, sub.conversationId, false, "channel not available");
      o.log.warn({ channel: sub.channel }, "digest: channel not available");
      report.failed++;
      continue;
    }
    let done = false;
    for (let i = 0; i < attempts && !done; i++) {
      try {
        await sender.send(conv, { kind: "digest", text: digest.text });
        await o.store.markDigestDelivered(digest.key, sub.channel, sub.conversationId, true);
        report.sent++;
        done = true;
      } catch (err) {
        if (err instanceof RecipientGoneError) {
          // The bot was blocked or the chat deleted: stop sending there for good.
          await o.store.unsubscribe(sub.channel, sub.conversationId);
          await o.store.markDigestDelivered(digest.key, sub.channel, sub.conversationId, false, "recipient gone");
          o.log.info({ channel: sub.channel }, "digest: chat gone, unsubscribed");
          report.unsubscribed++;
          done = true;
          break;
        }
        o.log.warn({ err, channel: sub.channel, attempt: i + 1 }, "digest: send failed");
        if (i + 1 < attempts) await sleep(backoff * 2 ** i);
      }
    }
    if (!done) {
      await o.store.markDigestDelivered(digest.key, sub.channel, sub.conversationId, false, "send failed");
      report.failed++;
    }
  }
  await o.store.setState("digest:lastSentAt", new Date().toISOString());
  o.log.info({ ...report }, "digest delivered");
  return report;
}
