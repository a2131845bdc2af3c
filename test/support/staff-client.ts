import { expect } from "vitest";
import type { startApp } from "./core.js";
import { addStaffAccount } from "../../src/staff/accounts.js";
import { hashPassword } from "../../src/staff/auth.js";

type App = Awaited<ReturnType<typeof startApp>>;

/** fetch with a cookie jar and no automatic redirects, like a browser tab but inspectable. */
export class Client {
  cookies = new Map<string, string>();
  constructor(private base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string | string[]>; json?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      // A repeated field (checkboxes) as a browser sends it: the name once per value.
      body = new URLSearchParams(Object.entries(init.form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]))).toString();
    } else if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    const res = await fetch(this.base + path, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || pair.slice(i + 1) === "") this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(i + 1));
    }
    const text = await res.text();
    return { status: res.status, location: res.headers.get("location"), text, headers: res.headers };
  }
  get(path: string) {
    return this.request(path);
  }
  post(path: string, form: Record<string, string | string[]>, headers?: Record<string, string>) {
    return this.request(path, { method: "POST", form, headers });
  }
  /** A multipart form with one file, as a browser sends an upload. */
  async upload(path: string, form: Record<string, string>, file: { field: string; name: string; content: Buffer | string; type: string }) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(form)) fd.append(k, v);
    fd.append(file.field, new Blob([typeof file.content === "string" ? file.content : new Uint8Array(file.content)], { type: file.type }), file.name);
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(this.base + path, { method: "POST", headers, body: fd, redirect: "manual" });
    const location = res.headers.get("location");
    // A browser shows the page an upload redirects to (the preview is a page of its own).
    if (res.status === 303 && location) return { ...(await this.get(location)), redirectedTo: location };
    return { status: res.status, location, text: await res.text(), redirectedTo: undefined as string | undefined };
  }
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

export async function login(base: string, name: string, password: string, next = "/staff", headers?: Record<string, string>) {
  const c = new Client(base);
  const page = await c.get(`/staff/login?next=${encodeURIComponent(next)}`);
  const res = await c.post("/staff/login", { _csrf: csrfOf(page.text), name, password, next }, headers);
  return { client: c, res };
}

/** A staff member who already chose a password (the one-time flow has its own test). */
export async function staffMember(app: App, name: string) {
  await addStaffAccount(app.core.store, name);
  const password = `${name}-Passwort-lang`;
  await app.core.store.setStaffPassword(name, await hashPassword(password), false);
  const { client, res } = await login(app.baseUrl, name, password);
  expect(res.status).toBe(303);
  const csrf = csrfOf((await client.get("/staff")).text);
  expect(csrf).not.toBe("");
  return { client, csrf, password };
}

