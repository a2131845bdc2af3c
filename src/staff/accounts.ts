import type { StaffAccount, Store } from "../store/store.js";
import { generateOneTimePassword, hashPassword, normalizeStaffName } from "./auth.js";
import { StaffSessions } from "./sessions.js";

/** The store has no "list staff" query; the CLI keeps the names it created here (see README). */
const ROSTER_KEY = "staff:accounts";

export class StaffAccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StaffAccountError";
  }
}

async function roster(store: Store): Promise<string[]> {
  const raw = await store.getState(ROSTER_KEY);
  if (!raw) return [];
  const list = JSON.parse(raw) as unknown;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
}

function validName(name: string): string {
  const n = normalizeStaffName(name);
  if (!n) throw new StaffAccountError(`Ungültiger Name "${name}": erlaubt sind 2–64 Kleinbuchstaben, Ziffern und . _ @ -`);
  return n;
}

/**
 * Creates an account, or resets an existing one, with a fresh one-time password. The staff member must
 * choose their own password at the first login; existing sessions of that name end.
 */
export async function addStaffAccount(store: Store, name: string): Promise<{ name: string; oneTimePassword: string; existed: boolean }> {
  const n = validName(name);
  const existed = Boolean(await store.getStaffByName(n));
  const oneTimePassword = generateOneTimePassword();
  await store.addStaff(n, await hashPassword(oneTimePassword));
  const names = await roster(store);
  if (!names.includes(n)) await store.setState(ROSTER_KEY, JSON.stringify([...names, n].sort()));
  await new StaffSessions(store).revokeAll(n);
  return { name: n, oneTimePassword, existed };
}

/** New one-time password for an existing account (forgotten password); ends its sessions. */
export async function resetStaffAccount(store: Store, name: string): Promise<{ name: string; oneTimePassword: string }> {
  const n = validName(name);
  if (!(await store.getStaffByName(n))) throw new StaffAccountError(`Einen Zugang "${n}" gibt es nicht. Anlegen mit: npm run staff -- add ${n}`);
  const oneTimePassword = generateOneTimePassword();
  await store.setStaffPassword(n, await hashPassword(oneTimePassword), true);
  await new StaffSessions(store).revokeAll(n);
  return { name: n, oneTimePassword };
}

export async function listStaffAccounts(store: Store): Promise<StaffAccount[]> {
  const out: StaffAccount[] = [];
  for (const name of await roster(store)) {
    const a = await store.getStaffByName(name);
    if (a) out.push(a);
  }
  return out;
}
