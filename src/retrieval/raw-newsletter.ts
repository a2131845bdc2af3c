import { basename } from "node:path";
import type { KnowledgeDoc, KnowledgeSection } from "./knowledge-types.js";
import { IngestError } from "./ingest-error.js";
import { firstLink, sha256 } from "./markdown-loader.js";

export const PROJECT_LINK = "https://trier-saarburg.de/hauptamt-staerkt-ehrenamt/";

/** Lines of an e-mail footer that carry no knowledge and would only pollute retrieval. */
const BOILERPLATE = /(abmelden|abbestellen|sie erhalten diesen newsletter|impressum|datenschutzerklärung|newsletter weiterempfehlen|im browser (an)?zeigen)/i;

export interface RawMeta {
  date?: string;
  issue?: number;
  title?: string;
  topics?: string[];
  link?: string;
}

/** File names like 2024-05-15-ausgabe-47-dorflaeden.pdf carry date and issue number. */
export function metaFromFileName(file: string): RawMeta {
  const name = basename(file).replace(/\.(html?|pdf)$/i, "");
  const d = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(name);
  const issue = /ausgabe[-_ ]?(\d+)/i.exec(name);
  return {
    date: d ? `${d[1]}-${d[2]}-${d[3] ?? "01"}` : undefined,
    issue: issue ? Number(issue[1]) : undefined,
  };
}

export function isBoilerplate(text: string): boolean {
  return BOILERPLATE.test(text) && text.length < 400;
}

/** Builds a newsletter document from sections found in a raw file; validates what staff cannot see in a PDF. */
export function rawDoc(file: string, content: Buffer, origin: "html" | "pdf", meta: RawMeta, sections: KnowledgeSection[]): KnowledgeDoc {
  const fromName = metaFromFileName(file);
  const date = meta.date ?? fromName.date;
  const issue = meta.issue ?? fromName.issue;
  if (!date || Number.isNaN(Date.parse(date)))
    throw new IngestError(file, "kein Datum gefunden (Dateiname JJJJ-MM-TT-… oder <meta name=\"date\">)");
  const kept = sections
    .map((s) => ({ ...s, text: s.text.trim() }))
    .filter((s) => s.text.length >= 40 && !isBoilerplate(s.text));
  if (kept.length === 0) throw new IngestError(file, "kein lesbarer Text gefunden");
  const link = meta.link ?? PROJECT_LINK;
  for (const s of kept) s.link ??= firstLink(s.text) ?? link;
  const title = meta.title?.trim() || `Newsletter${issue ? ` Nr. ${issue}` : ""} vom ${date}`;
  return {
    file, hash: sha256(content), kind: "newsletter",
    id: `nl-${date.slice(0, 7)}${origin === "pdf" ? "-pdf" : ""}`,
    title, issue, date, stand: date, link, topics: meta.topics?.length ? meta.topics : ["hse_projekt"],
    legal: /versicher|haftung|gemo|steuer|recht/i.test(kept.map((s) => s.text).join(" ")),
    funding: [], sections: kept, origin,
  };
}
