import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageUpdate, sentMessage, type Person } from "../../support/telegram-api.js";
import { handOverToStaff, mayors, OUT_OF_SCOPE, telegramHarness, type Harness } from "./harness.js";

/** The daily retention run and the Telegram staff chat: what the store forgets, the staff chat must not keep showing. */
const STAFF_CHAT = -100300;
const STAFF: Person = { id: 911, first_name: "Sabine", last_name: "Sachbearbeiterin" };

let h: Harness;
beforeAll(async () => {
  h = await telegramHarness({ TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT) });
  h.api.setMember(STAFF_CHAT, STAFF.id, "member");
});
afterAll(async () => {
  await h.close();
});

const mayor = mayors(6600);
const staffPosts = () => h.api.sent(STAFF_CHAT);
const handOver = (p: Person) => handOverToStaff(h, STAFF_CHAT, p);

describe("retention and the Telegram staff chat", () => {
  it("after the retention period, staff posts of closed and of stale Vorgänge lose name and question; nothing new is posted", async () => {
    const closed = mayor();
    const a = await handOver(closed);
    await h.send(messageUpdate({ text: "Das macht die VG.", reply_to_message: sentMessage(a.post) }, { chatId: STAFF_CHAT, from: STAFF, messageId: 7401 }));
    const delivered = staffPosts().at(-1)!;
    expect(delivered.body.text).toContain(closed.last_name!);
    await h.core.handover.close(a.ticketId, STAFF.first_name);
    const stale = mayor();
    const b = await handOver(stale);
    await h.core.delivery.noticesSent();
    const postsBefore = staffPosts().length;
    const later = new Date(Date.now() + 200 * 86_400_000);

    expect(await h.core.handover.expireStale(180, later)).toBeGreaterThanOrEqual(1);
    await h.core.delivery.noticesSent();
    expect(await h.core.handover.purgeExpired(180, later)).toBeGreaterThan(0);
    await h.core.delivery.noticesSent();

    expect(await h.core.store.getTicket(a.ticketId)).toBeUndefined();
    const edits = (id: number) => h.api.callsTo("editMessageText").filter((c) => c.body.chat_id === STAFF_CHAT && c.body.message_id === id);
    const postA = edits(sentMessage(a.post).message_id).at(-1)!;
    expect(postA.body.text).toContain(`Vorgang Nr. ${a.ticketId} wurde nach Ablauf der Aufbewahrungsfrist gelöscht`);
    expect(postA.body.text).not.toContain(closed.last_name!);
    expect(postA.body.reply_markup).toEqual({ inline_keyboard: [] });
    expect(edits(sentMessage(delivered).message_id).at(-1)!.body.text).toContain(`Gelöscht nach Ablauf der Aufbewahrungsfrist (Vorgang Nr. ${a.ticketId})`);
    const postB = edits(sentMessage(b.post).message_id)[0];
    expect(postB.body.text).toContain(`Vorgang Nr. ${b.ticketId} blieb bis zum Ablauf der Aufbewahrungsfrist ohne Abschluss`);
    expect(postB.body.text).not.toContain(stale.last_name!);
    expect(postB.body.text).not.toContain(OUT_OF_SCOPE);
    // Clearing edits what is there: no new message fills the staff chat.
    expect(staffPosts().length).toBe(postsBefore);
    // What the chat remembered for clearing is gone with the Vorgang.
    expect(await h.core.store.listState("telegram:staffMessages:")).toEqual([]);
  });
});
