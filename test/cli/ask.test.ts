import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { resolve } from "node:path";
import { tempDir } from "../support/temp.js";

const run = promisify(execFile);
const tsx = resolve("node_modules/.bin/tsx");

async function ask(args: string[], input?: string) {
  const d = tempDir();
  try {
    const child = run(tsx, ["src/cli/ask.ts", ...args], {
      env: { PATH: process.env.PATH, DATA_DIR: d.dir, KNOWLEDGE_DIR: "test/fixtures/knowledge", LOG_LEVEL: "silent" },
      maxBuffer: 10 * 1024 * 1024,
    });
    if (input !== undefined) {
      child.child.stdin!.end(input);
    }
    return await child;
  } finally {
    d.cleanup();
  }
}

describe("npm run ask", () => {
  it("--json prints one object with action, text, sources, confidence and reasons", async () => {
    const { stdout } = await ask(["--json", "Welche Rechtsform passt für einen Dorfladen?"]);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual(["action", "confidence", "reasons", "sources", "text"]);
    expect(out.action).toBe("answer");
    expect(out.text).toContain("Genossenschaft");
    expect(out.sources[0]).toEqual({
      id: "faq-dorfladen-rechtsform",
      title: "FAQ: Welche Rechtsform passt für einen Dorfladen?",
      date: null,
      url: "https://example.org/dorfladen",
      excerpt: expect.stringContaining("Genossenschaft"),
    });
  });

  it("--jsonl answers every line with its id, in one process, and survives a broken line", async () => {
    const input = [
      JSON.stringify({ id: "a", question: "hallo" }),
      "kein json",
      JSON.stringify({ id: "b", question: "Welche Windkraftanlagen sind in der VG Ruwer geplant?" }),
      JSON.stringify({ id: "c", question: "Sind Helfer beim Arbeitseinsatz unfallversichert?" }),
    ].join("\n");
    const { stdout } = await ask(["--jsonl"], input);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.action])).toEqual([
      ["a", "smalltalk"],
      [null, "error"],
      ["b", "handover"],
      ["c", "answer"],
    ]);
  });

  it("prints the reply as a user reads it, with sources", async () => {
    const { stdout } = await ask(["Sind Helfer beim Arbeitseinsatz unfallversichert?"]);
    expect(stdout).toMatch(/Unfallkasse Rheinland-Pfalz/);
    expect(stdout).toMatch(/Quellen:\n\[1\] FAQ: Sind Helfer/);
    expect(stdout).toMatch(/Stand: November 2026/);
  });
});
