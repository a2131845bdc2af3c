import { describe, expect, it } from "vitest";
import { createCore } from "../../src/app.js";
import type { StaffNotifier } from "../../src/core/ports.js";
import type { TicketRecord } from "../../src/store/store.js";
import { silentLog, testConfig } from "../support/core.js";
import { WebSender } from "../../src/channels/web/web-chat.js";

const OUT_OF_SCOPE = "Welche Windkraftanlagen sind in der VG Ruwer geplant?";
const mayor = (id: string) => ({ channel: "web" as const, conversationId: id, userId: id, isGroup: false, text: OUT_OF_SCOPE, reference: { session: id } });

/** A staff channel that records posts, and can be made to hang (a throttled or dead staff chat). */
function staffChannel(opts: { hang?: boolean } = {}) {
  const posts: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const notifier: StaffNotifier = {
    name: "test-staff",
    newTicket: async (t: TicketRecord) => {
      if (opts.hang) await gate;
      posts.push(`new:${t.id}`);
    },
    ticketUpdated: async (t, note) => void posts.push(`updated:${t.id}:${note}`),
    ticketErased: async (id) => void posts.push(`erased:${id}`),
    reminder: async (t) => void posts.push(`reminder:${t.id}`),
  };
  return { notifier, posts, release };
}

describe("staff notices go through a durable queue, after the mayor's reply", () => {
  it("the mayor's reply does not wait for a hanging staff chat; the notice goes out once it is free", async () => {
    const { config, cleanup } = testConfig();
    const core = await createCore(config, silentLog);
    try {
      const staff = staffChannel({ hang: true });
      core.delivery.registerNotifier(staff.notifier);
      const reply = await core.assistant.handle(mayor("w-1"));
      expect(reply.action).toBe("handover");
      expect(staff.posts).toEqual([]);
      expect(await core.store.listState("staff-notice:")).toHaveLength(1);
      staff.release();
      await core.delivery.noticesSent();
      expect(staff.posts).toEqual([`new:${reply.ticket!.id}`]);
      expect(await core.store.listState("staff-notice:")).toEqual([]);
    } finally {
      await core.store.close();
      cleanup();
    }
  });

  it("a notice queued before a crash is sent by the restarted process, exactly once", async () => {
    const { config, cleanup } = testConfig();
    try {
      const first = await createCore(config, silentLog);
      const dead = staffChannel({ hang: true });
      first.delivery.registerNotifier(dead.notifier);
      const reply = await first.assistant.handle(mayor("w-2"));
      // The process dies while the staff chat hangs: the notice was claimed but never sent.
      await first.store.close();

      const second = await createCore(config, silentLog);
      try {
        const staff = staffChannel();
        second.delivery.registerNotifier(staff.notifier);
        second.delivery.sendQueued({ takeOver: true });
        await second.delivery.noticesSent();
        expect(staff.posts).toEqual([`new:${reply.ticket!.id}`]);
        second.delivery.sendQueued({ takeOver: true });
        await second.delivery.noticesSent();
        expect(staff.posts).toHaveLength(1);
      } finally {
        await second.store.close();
      }
    } finally {
      cleanup();
    }
  });

  it("keeps the order of notices for one ticket and skips the staff place an answer was written in", async () => {
    const { config, cleanup } = testConfig();
    const core = await createCore(config, silentLog);
    try {
      const staff = staffChannel();
      core.delivery.registerNotifier(staff.notifier);
      core.delivery.registerSender(new WebSender(core.store));
      const reply = await core.assistant.handle(mayor("w-3"));
      const id = reply.ticket!.id;
      await core.handover.remindOverdue(1, new Date(Date.now() + 3 * 3600_000));
      // Written in this staff place: confirmed there already, no note.
      expect((await core.handover.answer(id, "Jana", "Antwort eins", { via: "test-staff" })).delivered).toBe(true);
      // Written elsewhere (/staff): a note.
      expect((await core.handover.answer(id, "Karl", "Antwort zwei")).delivered).toBe(true);
      await core.delivery.noticesSent();
      expect(staff.posts).toEqual([`new:${id}`, `reminder:${id}`, `updated:${id}:Beantwortet von Karl.`]);
    } finally {
      await core.store.close();
      cleanup();
    }
  });
});
