import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { sqliteStore } from "../../src/store/sql-store.js";
import { startFakeOpenAI } from "../support/fake-openai.js";
import { startFakeTelegram, TEST_TOKEN, textUpdate } from "../support/telegram-api.js";
import { tempDir } from "../support/temp.js";
import { webSessionId } from "../support/web-session.js";
import { postActivity, startTeamsCapture, teamsActivity } from "../support/teams-capture.js";

const tsx = resolve("node_modules/.bin/tsx");
/**
 * The server as `npm start` runs it: one Node process with tsx as a loader. The tsx command line instead runs
 * the server as its child and, on SIGTERM, kills that child with SIGKILL (exit 143) unless it reports the signal
 * within 30 ms — a busy machine misses that, and the graceful stop under test never ran.
 */
const server: [string, string[]] = [process.execPath, ["--import", "tsx", "src/main.ts"]];

/** The real `npm start` entry point as a child process on a free port. */
async function startProcess(env: Record<string, string>, command: [string, string[]] = server): Promise<{ child: ChildProcess; base: string; exited: Promise<number | null>; kill: (signal: NodeJS.Signals) => void }> {
  // Its own process group: a command such as npm starts the real node server as a child, and a SIGKILL to the
  // command alone would leave that server running (polling Telegram, holding the database).
  const child = spawn(command[0], command[1], {
    env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", KNOWLEDGE_DIR: "test/fixtures/knowledge", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
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
  return { child, base: `http://127.0.0.1:${port}`, exited, kill };
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
    cleanups.push(() => first.kill("SIGKILL"));
    const ids: number[] = [];
    for (const q of ["Können Sie mich morgen zurückrufen?", "Welche Windkraftanlagen sind in der VG Ruwer geplant?", "Gib mir die Telefonnummer von Herrn Müller"]) {
      const r = await ask(first.base, q);
      expect(r.body.action).toBe("handover");
      ids.push(r.body.ticket!);
    }
    first.kill("SIGKILL");
    await first.exited;

    const second = await startProcess({ DATA_DIR: d.dir });
    cleanups.push(() => second.kill("SIGKILL"));
    const health = await (await fetch(`${second.base}/health`)).json();
    expect(health.status).toBe("ok");
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    const store = sqliteStore(join(d.dir, "ortslotse.sqlite"));
    const tickets = await store.listTickets();
    await store.close();
    expect(tickets.map((t) => t.id).sort()).toEqual(ids.sort());
    expect(tickets.every((t) => t.status === "open")).toBe(true);
  });

  it("kill -9 while answering a Telegram question: after the restart the question is answered exactly once", async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const tg = await startFakeTelegram({ maxPollMs: 500 });
    cleanups.push(() => tg.close());
    const env = { DATA_DIR: d.dir, TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: tg.apiRoot };
    // The answer to the mayor hangs: the process is killed in the middle of answering.
    tg.fail("sendMessage", { kind: "hang" }, { times: 1, chatId: 4711 });
    const first = await startProcess(env);
    cleanups.push(() => first.kill("SIGKILL"));
    tg.pushUpdate(textUpdate("Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", { from: { id: 4711, first_name: "Erika" }, updateId: 501 }));
    await tg.waitFor((c) => c.method === "sendMessage" && String(c.body.chat_id) === "4711", 30_000);
    // By now the next getUpdates has acknowledged the update to Telegram: it will not come again.
    await tg.waitFor((c) => c.method === "getUpdates" && Number(c.body.offset) > 501, 10_000);
    first.kill("SIGKILL");
    await first.exited;
    expect(tg.sent(4711)).toEqual([]);

    const second = await startProcess(env);
    let out = "";
    second.child.stdout!.on("data", (x) => (out += x));
    cleanups.push(() => second.kill("SIGKILL"));
    await tg.waitFor((c) => c.method === "sendMessage" && String(c.body.chat_id) === "4711" && c.response.ok, 30_000).catch((e) => { throw new Error(JSON.stringify(tg.callsTo("sendMessage").map((c) => c.response)).slice(0, 800), { cause: e }); });
    // A new question after the restart is answered once too, and nothing twice.
    tg.pushUpdate(textUpdate("Welche Rechtsform passt für einen Dorfladen?", { from: { id: 4711, first_name: "Erika" }, updateId: 502 }));
    await tg.waitFor((c) => c.method === "sendMessage" && String(c.body.chat_id) === "4711" && c.response.ok && /Genossenschaft/.test(String(c.body.text)), 30_000).catch((e) => {
      throw new Error(`new question not answered; log: ${out.split("\n").filter((l) => /update|warn|error/i.test(l)).slice(-12).join("\n")}; getUpdates results: ${JSON.stringify(tg.callsTo("getUpdates").map((c) => [c.body.offset, (c.response.result as unknown[] | undefined)?.length]).slice(-8))}; sendMessage: ${JSON.stringify(tg.callsTo("sendMessage").map((c) => [c.response.ok, String(c.body.text).slice(0, 40)]))}`, { cause: e });
    });
    await new Promise((r) => setTimeout(r, 1500));
    const answers = tg.sent(4711).map((c) => String(c.body.text));
    expect(answers.filter((t) => /Unfallkasse/.test(t))).toHaveLength(1);
    expect(answers.filter((t) => /Genossenschaft/.test(t))).toHaveLength(1);
    second.child.kill("SIGTERM");
    await second.exited;
  }, 120_000);

  it("kill -9 while answering a Teams question: the same activity sent again after the restart is answered exactly once", async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const connector = await startTeamsCapture();
    cleanups.push(() => connector.close());
    const env = { DATA_DIR: d.dir, TEAMS_ALLOW_UNAUTHENTICATED: "true" };
    const conversation = { id: "a:personal-crash", conversationType: "personal", tenantId: "t1" };
    // The reply hangs: the process is killed in the middle of the turn, before Teams got its 200.
    connector.hangFor(/personal-crash/);
    const first = await startProcess(env);
    cleanups.push(() => first.kill("SIGKILL"));
    const activity = teamsActivity(connector.serviceUrl, { text: "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", conversation });
    const pending = postActivity(first.base, activity).catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (!connector.calls.some((c) => c.body?.type === "message" && c.conversationId === conversation.id)) {
      if (Date.now() > deadline) throw new Error("the turn never reached the connector");
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill("SIGKILL");
    await first.exited;
    await pending;
    connector.clear();

    const second = await startProcess(env);
    cleanups.push(() => second.kill("SIGKILL"));
    // Teams sends the activity again, as it does when it got no answer; then once more (a slow retry).
    expect((await postActivity(second.base, activity)).status).toBe(200);
    expect((await postActivity(second.base, activity)).status).toBe(200);
    const replies = connector.messages(conversation.id).map((c) => JSON.stringify(c.body));
    expect(replies.filter((t) => /Unfallkasse/.test(t))).toHaveLength(1);
    second.child.kill("SIGTERM");
    await second.exited;
  }, 120_000);

  it("`npm start`: the server ends when npm is killed, even with SIGKILL (no server left behind)", async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const app = await startProcess({ DATA_DIR: d.dir }, ["npm", ["start", "--silent"]]);
    cleanups.push(() => app.kill("SIGKILL"));
    expect((await fetch(`${app.base}/health`)).status).toBe(200);
    // Only npm itself, not its process group: the server must notice on its own.
    process.kill(app.child.pid!, "SIGKILL");
    const deadline = Date.now() + 15_000;
    let up = true;
    while (up && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      up = await fetch(`${app.base}/health`).then(() => true, () => false);
    }
    expect(up, "server still answering after npm was killed").toBe(false);
  }, 90_000);

  it("SIGTERM lets an in-flight question finish, then closes the database and exits 0", async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const llm = await startFakeOpenAI();
    cleanups.push(llm.close);
    llm.setFallback({ kind: "hang" });
    const p = await startProcess({ DATA_DIR: d.dir, OPENAI_BASE_URL: llm.baseURL, LLM_TIMEOUT_MS: "1500" });
    cleanups.push(() => p.kill("SIGKILL"));
    const inFlight = ask(p.base, "Welche Rechtsform passt für einen Dorfladen?");
    while (!llm.requests.length) await new Promise((r) => setTimeout(r, 20));
    p.child.kill("SIGTERM");
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.body.action).toBe("answer");
    expect(r.body.text).toContain("Genossenschaft");
    expect(await p.exited).toBe(0);
    const store = sqliteStore(join(d.dir, "ortslotse.sqlite"));
    expect((await store.recentTurns("web", webSessionId(r.cookie!), 5)).map((t) => t.action)).toEqual(["answer"]);
    await store.close();
  });

  it("SIGTERM while starting (the index is still being built) waits for the start, then stops gracefully with 0", async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const child = spawn(server[0], server[1], {
      env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", KNOWLEDGE_DIR: "test/fixtures/knowledge", LOG_LEVEL: "info", DATA_DIR: d.dir },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    cleanups.push(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    });
    let out = "";
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await new Promise<void>((res) => {
      child.stdout!.on("data", (x) => {
        out += x;
        // Logged from inside the start, before the server listens: the process is still starting.
        if (out.includes("building knowledge index")) res();
      });
    });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("shutting down");
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

  it("refuses to start when DATA_DIR is a file, and names DATA_DIR", async () => {
    const d = tempDir();
    const file = join(d.dir, "data");
    writeFileSync(file, "kein Ordner");
    try {
      const child = spawn(tsx, ["src/main.ts"], { env: { PATH: process.env.PATH, PORT: "0", DATA_DIR: file }, stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stderr!.on("data", (chunk) => (err += chunk));
      const code = await new Promise<number | null>((r) => child.on("exit", r));
      expect(code).toBe(2);
      expect(err).toContain(`DATA_DIR: "${file}" is a file, not a folder`);
    } finally {
      d.cleanup();
    }
  });

  describe("start-up failures get one line saying what to do", () => {
    /** Runs an entry point (the server by default) to its end; returns its exit code and stderr. */
    const failedStart = async (env: Record<string, string>, script = "src/main.ts") => {
      const child = spawn(tsx, [script], { env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", KNOWLEDGE_DIR: "test/fixtures/knowledge", ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stderr!.on("data", (d) => (err += d));
      const code = await new Promise<number | null>((r) => child.on("exit", r));
      return { code, err: err.trim() };
    };

    it("port in use: names the port, exit 2", async () => {
      const blocker = createServer();
      await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
      const port = (blocker.address() as AddressInfo).port;
      const d = tempDir();
      try {
        const { code, err } = await failedStart({ PORT: String(port), DATA_DIR: d.dir });
        expect(code).toBe(2);
        expect(err).toBe(`Ortslotse konnte nicht starten: Port ${port} auf 127.0.0.1 ist schon belegt – läuft Ortslotse bereits? Den anderen Prozess beenden oder PORT ändern. (Port in use: stop the other process or set PORT.)`);
      } finally {
        blocker.close();
        d.cleanup();
      }
    });

    it("a DATA_DIR nobody may write (not even root: /sys): names DATA_DIR, exit 2", async () => {
      const { code, err } = await failedStart({ DATA_DIR: "/sys/ortslotse-test" });
      expect(code).toBe(2);
      expect(err).toMatch(/^Ortslotse konnte nicht starten: DATA_DIR „\/sys\/ortslotse-test“ ist nicht beschreibbar/);
      expect(err.split("\n")).toHaveLength(1);
    });

    it("a corrupt database file: says restore the backup, exit 1, and leaves the file as it was", async () => {
      const d = tempDir();
      try {
        const file = join(d.dir, "ortslotse.sqlite");
        writeFileSync(file, "kein SQLite ".repeat(200));
        const { code, err } = await failedStart({ DATA_DIR: d.dir });
        expect(code).toBe(1);
        expect(err).toMatch(/Die Datenbank .*ortslotse\.sqlite ist beschädigt: .*Sicherung zurückspielen/);
        expect(readFileSync(file, "utf8")).toBe("kein SQLite ".repeat(200));
      } finally {
        d.cleanup();
      }
    });

    it("an empty knowledge folder never replaces a working index: ingest exits 1, start exits 2, the index stays", async () => {
      const d = tempDir();
      const empty = tempDir();
      const run = (script: string, knowledge: string) => failedStart({ DATA_DIR: d.dir, KNOWLEDGE_DIR: knowledge }, script);
      const chunks = () => (JSON.parse(readFileSync(join(d.dir, "index", "manifest.json"), "utf8")) as { chunkCount: number }).chunkCount;
      try {
        expect((await run("src/cli/ingest.ts", "test/fixtures/knowledge")).code).toBe(0);
        const before = chunks();
        expect(before).toBeGreaterThan(0);
        const ingest = await run("src/cli/ingest.ts", empty.dir);
        expect(ingest.code).toBe(1);
        expect(ingest.err).toContain(`der bisherige Index (${before} Abschnitte) bleibt unverändert`);
        const start = await run("src/main.ts", empty.dir);
        expect(start.code).toBe(2);
        expect(start.err).toMatch(/^Ortslotse konnte nicht starten: KNOWLEDGE_DIR „.*“ enthält keine lesbaren/);
        expect(chunks()).toBe(before);
      } finally {
        d.cleanup();
        empty.cleanup();
      }
    });

    it("PostgreSQL not reachable: names host and port, exit 2", async () => {
      const { code, err } = await failedStart({ DATABASE_URL: "postgres://ortslotse:geheim@127.0.0.1:1/ortslotse" });
      expect(code).toBe(2);
      expect(err).toMatch(/^Ortslotse konnte nicht starten: PostgreSQL auf 127\.0\.0\.1:1 ist nicht erreichbar \(ECONNREFUSED\)/);
      expect(err).not.toContain("geheim");
    });
  });
});
