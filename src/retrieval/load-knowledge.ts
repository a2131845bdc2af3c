import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { IngestProblem, KnowledgeDoc } from "./knowledge-types.js";
import { IngestError } from "./ingest-error.js";
import { parseMarkdownKnowledge } from "./markdown-loader.js";
import { parseHtmlNewsletter } from "./html-loader.js";
import { parsePlainMarkdownNewsletter } from "./plain-markdown-loader.js";
import { parsePdfNewsletter } from "./pdf-loader.js";

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out.sort();
}

/** Lists the files ingest would read (used for staleness checks without parsing). */
export async function listKnowledgeFiles(root: string): Promise<string[]> {
  return (await walk(root)).filter((f) => {
    const rel = relative(root, f);
    if (/(^|\/)README\.md$/i.test(rel)) return false;
    return /\.(md|html?|pdf)$/i.test(rel);
  });
}

export async function parseKnowledgeFile(root: string, path: string): Promise<KnowledgeDoc> {
  const rel = relative(root, path);
  const buf = await readFile(path);
  // An issue staff typed as plain Markdown (no front matter) lies in the inbox like the HTML and PDF ones.
  if (/\.md$/i.test(path) && /^inbox\//.test(rel.replace(/\\/g, "/")) && !/^\uFEFF?\s*---\s*$/m.test(buf.toString("utf8").split("\n")[0] ?? ""))
    return parsePlainMarkdownNewsletter(rel, buf);
  if (/\.md$/i.test(path)) return parseMarkdownKnowledge(rel, buf.toString("utf8"));
  if (/\.html?$/i.test(path)) return parseHtmlNewsletter(rel, buf);
  if (/\.pdf$/i.test(path)) return parsePdfNewsletter(rel, buf);
  throw new IngestError(rel, "unbekannter Dateityp");
}

/**
 * Reads the knowledge files one after the other (in listing order); a broken one is reported by name and
 * skipped, the rest goes on. A generator, so that the index build can embed the first files while it reads the next.
 */
export async function* readKnowledge(root: string): AsyncGenerator<{ doc: KnowledgeDoc } | { problem: IngestProblem }> {
  const seen = new Map<string, string>();
  for (const path of await listKnowledgeFiles(root)) {
    try {
      const doc = await parseKnowledgeFile(root, path);
      const dup = seen.get(doc.id);
      if (dup) throw new IngestError(doc.file, `id "${doc.id}" gibt es schon in ${dup}`);
      seen.set(doc.id, doc.file);
      yield { doc };
    } catch (err) {
      if (err instanceof IngestError) yield { problem: { file: err.file, message: err.message.slice(err.file.length + 2) } };
      else yield { problem: { file: relative(root, path), message: (err as Error).message } };
    }
  }
}

/** Every knowledge file read: the documents and the problems. */
export async function loadKnowledge(root: string): Promise<{ docs: KnowledgeDoc[]; problems: IngestProblem[] }> {
  const docs: KnowledgeDoc[] = [];
  const problems: IngestProblem[] = [];
  for await (const item of readKnowledge(root)) {
    if ("doc" in item) docs.push(item.doc);
    else problems.push(item.problem);
  }
  return { docs, problems };
}
