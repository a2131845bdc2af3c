import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { startFakeOpenAI } from "../support/fake-openai.js";
import { tempDir } from "../support/temp.js";

const tsx = resolve("node_modules/.bin/tsx");

/** The real `npm start` entry point as a child process on a free port. */
async function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; exited: Promise<number | null> }> {
  const child = spawn(tsx, ["src/main.ts"], {
    env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", KNOWLEDGE_DIR: "test/fixtures/knowledge", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const port = await new Promise<number>((res, rej) => {
    let buf = "";
    const t = setTimeout(() => rej(new Error(`no start: ${buf}`)), 60_000);
    child.stdout!.on("data", (d) => {
      buf += d;
      const m = /"port":(\d+)[^\n]*Ortslotse started/.exec(buf);
      if (m) {
        clearTimeout(t);
        res(Number(m[1]));
      }
    });
    child.stderr!.on("data", (d) => (buf += d));
  });
  return { child, base: `http://127.0.0.1:${port}`, exited };
}

async function ask(base: string, text: string, cookie?: string) {
  const r = await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ text }) });
  return { status: r.status, body: (await r.json()) as { action: string; ticket?: number; text: string }, cookie: r.headers.get("set-cookie")?.split(";")[0] };
}

describe("process lifecycle", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("kill -9 with open tickets loses none: after a restart every ticket and subscription is there", async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const first = await startProcess({ DATA_DIR: d.dir });
    cleanups.push(() => void first.child.kill("SIGKILL"));
    const ids: number[] = [];
    for (const q of ["Können Sie mich morgen zurückrufen?", "Welche Windkraftanlagen sind in der VG Ruwer geplant?", "Gib mir die Telefonnummer von Herrn Müller"]) {
      const r = await ask(first.base, q);
      expect(r.body.action).toBe("handover");
      ids.push(r.body.ticket!);
    }
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await startProcess({ DATA_DIR: d.dir });
    cleanups.push(() => void second.child.kill("SIGKILL"));
    const health = await (await fetch(`${second.base}/health`)).json();
    expect(health.status).toBe("ok");
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    const store = new SqliteStore(join(d.dir, "ortslotse.sqlite"));
    const tickets = await store.listTickets();
    await store.close();
    expect(tickets.map((t) => t.id).sort()).toEqual(ids.sort());
    expect(tickets.every((t) => t.status === "open")).toBe(true);
  });

  it("SIGTERM lets an in-flight question finish, then closes the database and exits 0", async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const llm = await startFakeOpenAI();
    cleanups.push(llm.close);
    llm.setFallback({ kind: "hang" });
    const p = await startProcess({ DATA_DIR: d.dir, OPENAI_BASE_URL: llm.baseURL, LLM_TIMEOUT_MS: "1500" });
    cleanups.push(() => void p.child.kill("SIGKILL"));
    const inFlight = ask(p.base, "Welche Rechtsform passt für einen Dorfladen?");
    while (!llm.requests.length) await new Promise((r) => setTimeout(r, 20));
    p.child.kill("SIGTERM");
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.body.action).toBe("answer");
    expect(r.body.text).toContain("Genossenschaft");
    expect(await p.exited).toBe(0);
    const store = new SqliteStore(join(d.dir, "ortslotse.sqlite"));
    expect((await store.recentTurns("web", r.cookie!.split("=")[1], 5)).map((t) => t.action)).toEqual(["answer"]);
    await store.close();
  });

  it("refuses to start with a bad setting and names it", async () => {
    const child = spawn(tsx, ["src/main.ts"], { env: { PATH: process.env.PATH, PORT: "not-a-port" }, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(2);
    expect(err).toMatch(/PORT: must be a whole number/);
  });

  it("refuses to start with a knowledge folder that does not exist, and names KNOWLEDGE_DIR", async () => {
    const child = spawn(tsx, ["src/main.ts"], { env: { PATH: process.env.PATH, PORT: "0", KNOWLEDGE_DIR: "/nicht/vorhanden" }, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(2);
    expect(err).toMatch(/KNOWLEDGE_DIR: folder "\/nicht\/vorhanden" does not exist/);
  });
});
