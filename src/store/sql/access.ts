import type { AccessStore } from "../store.js";
import { changed, now, type SqlContext } from "./context.js";

/** Invite codes and the members they admitted (ACCESS_MODE=invite). */
export function accessStore({ run }: SqlContext): AccessStore {
  const addMember = (channel: string, userId: string, via: string) =>
    run("addMember", async (db) => {
      await db.insertInto("members").values({ channel, user_id: userId, via, created_at: now() }).onConflict((oc) => oc.doNothing()).execute();
    });
  return {
    createInvite: (code, createdBy) =>
      run("createInvite", async (db) => {
        await db.insertInto("invites").values({ code, created_by: createdBy, created_at: now() }).execute();
      }),

    // The code is taken by one statement (only one of two instances can), then the person becomes a member.
    redeemInvite: async (code, channel, userId) => {
      const taken = await run("redeemInvite", async (db) =>
        changed(await db.updateTable("invites").set({ used_by: `${channel}:${userId}`, used_at: now() }).where("code", "=", code).where("used_by", "is", null).executeTakeFirst()) > 0);
      if (taken) await addMember(channel, userId, `invite:${code.slice(0, 4)}…`);
      return taken;
    },

    listInvites: () =>
      run("listInvites", async (db) => {
        const rows = await db.selectFrom("invites").selectAll().orderBy("created_at", "desc").execute();
        return rows.map((r) => ({ code: r.code, createdBy: r.created_by, createdAt: r.created_at, usedBy: r.used_by ?? undefined, usedAt: r.used_at ?? undefined }));
      }),

    addMember,

    isMember: (channel, userId) =>
      run("isMember", async (db) => Boolean(await db.selectFrom("members").select("user_id").where("channel", "=", channel).where("user_id", "=", userId).executeTakeFirst())),
  };
}
