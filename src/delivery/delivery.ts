import type { Logger } from "pino";
import { randomBytes } from "node:crypto";
import type { ChannelName } from "../core/types.js";
import type { ErasureCause, Sender, StaffNotifier } from "../core/ports.js";
import type { Store } from "../store/store.js";

/*
 * Everything that leaves Ortslotse later than the reply: messages into a stored conversation (staff
 * answers, digests) through each channel's Sender, and staff notices through a durable queue.
 */

const NOTICE_PREFIX = "staff-notice:";
/** A notice claimed by an instance that then died is sent by another after this long. */
const NOTICE_CLAIM_MS = 60_000;

export interface Notice {
  kind: "new" | "updated" | "reminder" | "erased";
  ticketId: number;
  /** "erased": where the Telegram post was (the ticket itself is deleted by then). */
  staffPostRef?: string;
  /** "erased": why (default: the person asked). */
  cause?: ErasureCause;
  note?: string;
  /** Name of a notifier that must not get this notice (the answer was written there). */
  skip?: string;
  claimedAt?: number;
}

function parseNotice(raw: string | undefined): Notice | undefined {
  if (!raw) return undefined;
  try {
    const n = JSON.parse(raw) as Notice;
    return typeof n?.ticketId === "number" ? n : undefined;
  } catch {
    return undefined;
  }
}

export class Delivery {
  private senders = new Map<ChannelName, Sender>();
  private notifiers: StaffNotifier[] = [];
  private sending?: Promise<void>;
  private again = false;

  constructor(private store: Store, private log: Logger) {}

  registerSender(s: Sender): void {
    this.senders.set(s.channel, s);
  }

  /** The sender for a channel (staff answers and digests use the same ones). */
  sender(channel: ChannelName): Sender | undefined {
    return this.senders.get(channel);
  }

  /** Where staff learn about Vorgänge (Telegram staff group, Teams staff channel). */
  registerNotifier(n: StaffNotifier): void {
    this.notifiers.push(n);
  }

  /**
   * Staff notices go through a durable queue in the store and are sent after the caller returns: the
   * mayor's reply never waits for a (throttled) staff chat, and a notice queued before a crash is sent
   * after the restart. At least once: a crash mid-send may repeat one notice, never lose it.
   */
  async notifyStaff(notice: Notice): Promise<void> {
    const key = `${NOTICE_PREFIX}${String(Date.now()).padStart(15, "0")}-${randomBytes(4).toString("hex")}`;
    try {
      await this.store.setState(key, JSON.stringify(notice));
    } catch (err) {
      // The store failed: still try to tell staff now, rather than not at all.
      this.log.error({ err, ticket: notice.ticketId }, "staff notice not queued; sending directly");
      void this.send(notice);
      return;
    }
    this.sendQueued();
  }

  /**
   * Starts sending queued notices in the background. At start `takeOver` also sends notices a crashed
   * process had claimed (a peer sending the same notice at that moment would repeat it: at least once).
   */
  sendQueued(opts: { takeOver?: boolean } = {}): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    let takeOver = opts.takeOver ?? false;
    this.sending = (async () => {
      do {
        this.again = false;
        await this.sendQueuedOnce(takeOver);
        takeOver = false;
      } while (this.again);
    })()
      .catch((err) => this.log.error({ err }, "staff notice queue failed"))
      .finally(() => (this.sending = undefined));
  }

  /** Resolves when every queued notice has been sent (shutdown, tests). */
  async noticesSent(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async sendQueuedOnce(takeOver: boolean): Promise<void> {
    for (const { key } of await this.store.listState(NOTICE_PREFIX)) {
      // Claimed in the store, so two instances sharing it do not both send the same notice.
      const claim = Date.now();
      const stored = await this.store.updateState(key, (cur) => {
        const n = parseNotice(cur);
        if (!n) return undefined;
        return !takeOver && n.claimedAt && claim - n.claimedAt < NOTICE_CLAIM_MS ? cur : JSON.stringify({ ...n, claimedAt: claim });
      });
      const notice = parseNotice(stored);
      if (!notice || notice.claimedAt !== claim) continue;
      await this.send(notice);
      await this.store.deleteState(key);
    }
  }

  private async send(notice: Notice): Promise<void> {
    if (notice.kind === "erased") {
      await Promise.all(this.notifiers.map((n) => n.ticketErased(notice.ticketId, notice.staffPostRef, notice.cause ?? "request").catch((err) => this.log.error({ err, notifier: n.name }, "staff notification failed"))));
      return;
    }
    const t = await this.store.getTicket(notice.ticketId);
    if (!t) return;
    // A failing staff channel must not lose the ticket: it is stored already and visible on /staff.
    await Promise.all(
      this.notifiers
        .filter((n) => n.name !== notice.skip)
        .map((n) =>
          (notice.kind === "new" ? n.newTicket(t) : notice.kind === "reminder" ? n.reminder(t) : n.ticketUpdated(t, notice.note ?? "")).catch((err) =>
            this.log.error({ err, notifier: n.name }, "staff notification failed"),
          ),
        ),
    );
  }

}
