import { cp, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Store } from "../store/store.js";

/** One change to the knowledge made by staff in /staff: who, when, what. */
export interface KnowledgeChange {
  at: string;
  by: string;
  action: "veröffentlicht" | "geändert" | "zurückgezogen" | "wieder veröffentlicht";
}

/**
 * A knowledge file as staff published (or retired) it. Kept in the store, so every instance on the same
 * database sees it and nothing lives only on one server's disk; `npm run knowledge -- export` writes the
 * whole base back as files.
 */
export interface PublishedEntry {
  /** Path inside the knowledge folder, e.g. "inbox/2026-12-15-ausgabe-78-winterdienst.html". */
  path: string;
  status: "live" | "retired";
  /** File content, base64 (HTML and Markdown as UTF-8 bytes, PDF as it came). Absent for a retired repo file. */
  content?: string;
  title?: string;
  log: KnowledgeChange[];
}

const ENTRY = "knowledge:entry:";
const VERSION = "knowledge:version";
/** Only these places and file types: a crafted name can never leave the knowledge folder. */
export const PUBLISHABLE_PATH = /^(newsletter|faq|inbox|programmes)\/[a-z0-9][a-z0-9._-]{0,150}\.(md|html?|pdf|yaml)$/i;

export class PublishedKnowledge {
  constructor(private store: Store) {}

  async list(): Promise<PublishedEntry[]> {
    const rows = await this.store.listState(ENTRY);
    return rows.map((r) => JSON.parse(r.value) as PublishedEntry).sort((a, b) => a.path.localeCompare(b.path));
  }

  async get(path: string): Promise<PublishedEntry | undefined> {
    const v = await this.store.getState(ENTRY + path);
    return v ? (JSON.parse(v) as PublishedEntry) : undefined;
  }

  /** Changes whenever something is published or retired: instances compare it to reload. */
  async version(): Promise<string> {
    return (await this.store.getState(VERSION)) ?? "";
  }

  async publish(path: string, content: Buffer, by: string, title?: string): Promise<PublishedEntry> {
    if (!PUBLISHABLE_PATH.test(path)) throw new Error(`Ungültiger Dateiname: ${path}`);
    const old = await this.get(path);
    // Published again unchanged: no "geändert" in its history, and nothing for the instances to reload.
    if (old?.status === "live" && old.content === content.toString("base64")) return old;
    const action: KnowledgeChange["action"] = !old ? "veröffentlicht" : old.status === "retired" ? "wieder veröffentlicht" : "geändert";
    const entry: PublishedEntry = { path, status: "live", content: content.toString("base64"), title: title ?? old?.title, log: [...(old?.log ?? []), { at: new Date().toISOString(), by, action }] };
    await this.store.setState(ENTRY + path, JSON.stringify(entry));
    await this.bump();
    return entry;
  }

  /** Takes an entry out of the answers (also a file from the repository); kept with its history. */
  async retire(path: string, by: string, title?: string): Promise<PublishedEntry> {
    if (!PUBLISHABLE_PATH.test(path)) throw new Error(`Ungültiger Dateiname: ${path}`);
    const old = await this.get(path);
    const entry: PublishedEntry = { path, status: "retired", content: old?.content, title: title ?? old?.title, log: [...(old?.log ?? []), { at: new Date().toISOString(), by, action: "zurückgezogen" }] };
    await this.store.setState(ENTRY + path, JSON.stringify(entry));
    await this.bump();
    return entry;
  }

  private async bump(): Promise<void> {
    await this.store.setState(VERSION, `${new Date().toISOString()}#${Math.random().toString(36).slice(2, 8)}`);
  }

  /**
   * The knowledge as answered: the files of KNOWLEDGE_DIR with what staff published on top (and what they
   * retired taken out), written to `target` — built next to it and swapped in, never half-written.
   */
  async materialize(knowledgeDir: string, target: string): Promise<{ published: number; retired: number }> {
    const entries = await this.list();
    const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
    await rm(tmp, { recursive: true, force: true });
    await cp(knowledgeDir, tmp, { recursive: true });
    let published = 0;
    let retired = 0;
    for (const e of entries) {
      if (!PUBLISHABLE_PATH.test(e.path)) continue;
      const file = join(tmp, e.path);
      if (e.status === "retired") {
        await rm(file, { force: true });
        retired++;
      } else if (e.content) {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, Buffer.from(e.content, "base64"));
        published++;
      }
    }
    const old = `${target}.old-${process.pid}-${Date.now()}`;
    if (existsSync(target)) await rename(target, old);
    await rename(tmp, target);
    await rm(old, { recursive: true, force: true });
    return { published, retired };
  }
}
