import type { KnowledgeDoc, KnowledgeSection } from "./knowledge-types.js";
import { IngestError } from "./ingest-error.js";
import { isBoilerplate, rawDoc } from "./raw-newsletter.js";

/**
 * A newsletter written as plain Markdown, as staff type it without the knowledge folder's template: "# Title",
 * the masthead ("Trier, 15. Dezember 2026 · Ausgabe 78"), then one "## " heading per article. Read like an
 * HTML issue: date and number from the masthead or the file name.
 */
export function parsePlainMarkdownNewsletter(file: string, content: Buffer): KnowledgeDoc {
  const md = content.toString("utf8").replace(/^\uFEFF/, "");
  if (!md.trim()) throw new IngestError(file, "Datei ist leer");
  let title: string | undefined;
  const head: string[] = [];
  const sections: KnowledgeSection[] = [];
  let current: KnowledgeSection | undefined;
  for (const raw of md.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) {
      if (current?.text && !current.text.endsWith("\n")) current.text += "\n";
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h && h[1].length === 1 && !current) {
      title ??= plain(h[2]);
      head.push(plain(h[2]));
      continue;
    }
    if (h && h[1].length === 2) {
      current = { heading: plain(h[2]), text: "" };
      sections.push(current);
      continue;
    }
    const text = h ? plain(h[2]) : plain(line.replace(/^[-*]\s+/, "• "));
    if (!current) {
      head.push(text);
      continue;
    }
    if (isBoilerplate(text)) continue;
    const link = /\]\((https?:[^)\s]+)\)|<(https?:[^>\s]+)>/.exec(line);
    if (link && !current.link && !/abmelden|unsubscribe/i.test(link[1] ?? link[2])) current.link = link[1] ?? link[2];
    current.text += current.text && !current.text.endsWith("\n") ? ` ${text}` : text;
  }
  for (const s of sections) s.text = s.text.trim();
  return rawDoc(file, content, "markdown", { title, head: head.join("\n") }, sections);
}

/** The words a reader sees: "[Antrag](https://…)" → "Antrag", "**wichtig**" → "wichtig". */
function plain(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/<(https?:[^>\s]+)>/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,!?:;]|$)/g, "$1$2")
    .trim();
}
