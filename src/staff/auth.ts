import { randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** Minimum length of a password a staff member chooses (the one-time password is longer). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
const ONE_TIME_PASSWORD_LENGTH = 20;
/** No 0/O, 1/l/I: one-time passwords are read off a terminal and typed by hand. */
const OTP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** scrypt cost: N=2^15, r=8, p=1 (~32 MiB, ~50–100 ms per check) — slow for guessing, fine for logins. */
const PARAMS = { N: 32768, r: 8, p: 1 };
const KEY_BYTES = 32;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFC"), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

/** Returns "scrypt$N$r$p$salt$hash" (salt and hash base64url), the format kept in the staff table. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = PARAMS;
  const key = await scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem: maxmem(N, r) });
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Constant-time check; a malformed stored hash simply does not match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4], "base64url");
  const expected = Buffer.from(parts[5], "base64url");
  if (!salt.length || !expected.length) return false;
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(key, expected);
}

/** A hash no password matches, checked for unknown names so a login reveals nothing through its timing. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

export function generateOneTimePassword(length = ONE_TIME_PASSWORD_LENGTH): string {
  let out = "";
  for (let i = 0; i < length; i++) out += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
  return out;
}

/** German reason why a new password is not acceptable, or undefined when it is. */
export function newPasswordProblem(current: string, next: string, repeat: string): string | undefined {
  if (next.length < MIN_PASSWORD_LENGTH) return `Das neue Passwort muss mindestens ${MIN_PASSWORD_LENGTH} Zeichen lang sein.`;
  if (next.length > MAX_PASSWORD_LENGTH) return `Das neue Passwort darf höchstens ${MAX_PASSWORD_LENGTH} Zeichen lang sein.`;
  if (next !== repeat) return "Die beiden neuen Passwörter stimmen nicht überein.";
  if (next === current) return "Bitte wählen Sie ein anderes Passwort als das bisherige.";
  return undefined;
}

/** Account names: lower case letters, digits and . _ @ - (2–64 characters), compared case-insensitively. */
export function normalizeStaffName(name: string): string | undefined {
  const n = name.normalize("NFC").trim().toLowerCase();
  return /^[\p{Ll}\p{N}][\p{Ll}\p{N}._@-]{1,63}$/u.test(n) ? n : undefined;
}
