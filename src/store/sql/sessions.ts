import type { SessionStore } from "../store.js";
import { now, type SqlContext } from "./context.js";

/** /staff sessions, one row each. */
export function sessionStore({ run }: SqlContext): SessionStore {
  return {
    addStaffSession: (sess, keep) =>
      run("addStaffSession", async (db) => {
        const at = now();
        await db.insertInto("staff_sessions").values({ sid: sess.sid, name: sess.name, csrf: sess.csrf, expires_at: sess.expiresAt, created_at: at }).execute();
        await db.deleteFrom("staff_sessions").where("expires_at", "<=", at).execute();
        const newest = await db.selectFrom("staff_sessions").select("sid").where("name", "=", sess.name).orderBy("created_at", "desc").orderBy("sid").limit(keep).execute();
        await db.deleteFrom("staff_sessions").where("name", "=", sess.name).where("sid", "not in", newest.map((r) => r.sid)).execute();
      }),

    getStaffSession: (name, sid) =>
      run("getStaffSession", async (db) => {
        const r = await db.selectFrom("staff_sessions").selectAll().where("sid", "=", sid).where("name", "=", name).where("expires_at", ">", now()).executeTakeFirst();
        return r ? { sid: r.sid, name: r.name, csrf: r.csrf, expiresAt: r.expires_at } : undefined;
      }),

    deleteStaffSessions: (name, which = {}) =>
      run("deleteStaffSessions", async (db) => {
        let q = db.deleteFrom("staff_sessions").where("name", "=", name);
        if (which.sid !== undefined) q = q.where("sid", "=", which.sid);
        if (which.exceptSid !== undefined) q = q.where("sid", "<>", which.exceptSid);
        await q.execute();
      }),
  };
}
