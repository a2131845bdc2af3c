import type { StaffStore } from "../store.js";
import { now, type SqlContext } from "./context.js";

/** Staff accounts for /staff. */
export function staffStore({ run }: SqlContext): StaffStore {
  const byName = (name: string) =>
    run("getStaffByName", async (db) => {
      const r = await db.selectFrom("staff").selectAll().where("name", "=", name).executeTakeFirst();
      return r
        ? { id: Number(r.id), name: r.name, passwordHash: r.password_hash, mustChangePassword: r.must_change === true || Number(r.must_change) === 1, createdAt: r.created_at }
        : undefined;
    });
  return {
    addStaff: async (name, passwordHash) => {
      await run("addStaff", (db) =>
        db.insertInto("staff").values({ name, password_hash: passwordHash, must_change: 1, created_at: now() })
          .onConflict((oc) => oc.column("name").doUpdateSet((eb) => ({ password_hash: eb.ref("excluded.password_hash"), must_change: 1 }))).execute());
      return (await byName(name))!;
    },
    getStaffByName: byName,
    setStaffPassword: (name, passwordHash, mustChange) =>
      run("setStaffPassword", async (db) => {
        await db.updateTable("staff").set({ password_hash: passwordHash, must_change: mustChange ? 1 : 0 }).where("name", "=", name).execute();
      }),
  };
}
