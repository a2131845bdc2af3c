import { foldUmlauts } from "../retrieval/german-text.js";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseKnowledgeFile } from "../retrieval/load-knowledge.js";
import { IngestError } from "../retrieval/ingest-error.js";
import type { KnowledgeDoc } from "../retrieval/knowledge-types.js";
import type { DocSummary } from "../retrieval/build-index.js";
import { PUBLISHABLE_PATH } from "../knowledge/published.js";

/**
 * Where an uploaded file goes in the knowledge folder: HTML and PDF issues into inbox/ (read like the raw
 * newsletters there), Markdown by its `kind:` into newsletter/ or faq/. The name is made safe (lower case,
 * umlauts spelled out). undefined: not a file the knowledge can take.
 */
export function knowledgeFileName(original: string, content: Buffer): string | undefined {
  const name = foldUmlauts(original.split(/[\\/]/).pop()!.toLowerCase())
    .replace(/[^a-z0-9._-]+/g, "-").replace(/^[-.]+/, "").slice(-150);
  let path: string | undefined;
  if (/\.(html?|pdf)$/.test(name)) path = `inbox/${name}`;
  else if (/\.md$/.test(name)) {
    const text = content.toString("utf8").slice(0, 4000);
    const kind = /^---[\s\S]*?^kind:\s*(newsletter|faq)\s*$/m.exec(text)?.[1];
    if (kind) path = `${kind === "faq" ? "faq" : "newsletter"}/${name}`;
    // Without the template's front matter: a newsletter typed as plain Markdown, read like an HTML issue.
    else if (!/^\s*---\s*$/m.test(text.split("\n")[0] ?? "")) path = `inbox/${name}`;
  }
  return path && PUBLISHABLE_PATH.test(path) ? path : undefined;
}

/**
 * The same newsletter issue in another file (the PDF of an issue already uploaded as HTML): the same number, or
 * the same month when one of them has no number (the newsletter comes once a month).
 */
function sameIssue(d: DocSummary, doc: KnowledgeDoc): boolean {
  if (d.kind !== "newsletter") return false;
  if (d.issue !== undefined && doc.issue !== undefined) return d.issue === doc.issue;
  return !!d.date && !!doc.date && d.date.slice(0, 7) === doc.date.slice(0, 7);
}

export interface UploadPreview {
  doc?: KnowledgeDoc;
  /** Why the file cannot be used (German, for staff); nothing is changed then. */
  problem?: string;
  /** An entry with the same id that the upload would replace. */
  replaces?: DocSummary;
  warnings: string[];
}

/** Reads an uploaded file with the same parsers ingest uses, in a folder of its own. */
/** A knowledge file read from its content as the index reads it (any format); throws IngestError. */
export async function readKnowledgeFile(path: string, content: Buffer): Promise<KnowledgeDoc> {
  const root = await mkdtemp(join(tmpdir(), "ortslotse-upload-"));
  try {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    return await parseKnowledgeFile(root, file);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function previewUpload(path: string, content: Buffer, current: DocSummary[]): Promise<UploadPreview> {
  let doc: KnowledgeDoc;
  try {
    doc = await readKnowledgeFile(path, content);
  } catch (err) {
    const msg = err instanceof IngestError ? err.message.slice(err.file.length + 2) : (err as Error).message;
    return { problem: msg || "unbekannter Fehler beim Lesen", warnings: [] };
  }
  const warnings: string[] = [];
  if (doc.kind === "newsletter" && doc.issue === undefined) warnings.push("Keine Ausgabennummer gefunden (z. B. „ausgabe-78“ im Dateinamen).");
  if (doc.sections.length < 2) warnings.push(`Nur ${doc.sections.length} Abschnitt gefunden – ist die Datei vollständig?`);
  if (doc.date && doc.date > new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10)) warnings.push(`Das Datum ${doc.date} liegt in der Zukunft.`);
  const replaces = current.find((d) => d.id === doc.id) ?? (doc.kind === "newsletter" ? current.find((d) => sameIssue(d, doc)) : undefined);
  return { doc, replaces, warnings };
}
