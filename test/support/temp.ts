import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const FIXTURE_KNOWLEDGE = resolve("test/fixtures/knowledge");

export function tempDir(prefix = "ortslotse-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A writable copy of a knowledge folder, so a test can add, change or delete files. */
export function copyKnowledge(from = FIXTURE_KNOWLEDGE): { dir: string; cleanup: () => void } {
  const t = tempDir("ortslotse-knowledge-");
  cpSync(from, t.dir, { recursive: true });
  return t;
}
