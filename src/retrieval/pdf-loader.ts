import type { KnowledgeDoc, KnowledgeSection } from "./knowledge-types.js";
import { IngestError } from "./ingest-error.js";
import { isBoilerplate, rawDoc } from "./raw-newsletter.js";

interface Line {
  text: string;
  size: number;
}

/** Extracts text lines with their font size; larger-than-body lines become section headings. */
export async function parsePdfNewsletter(file: string, content: Buffer): Promise<KnowledgeDoc> {
  if (content.length === 0) throw new IngestError(file, "Datei ist leer");
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let doc;
  try {
    doc = await pdfjs.getDocument({ data: new Uint8Array(content), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  } catch (err) {
    throw new IngestError(file, `PDF ist beschädigt oder nicht lesbar (${(err as Error).message})`, { cause: err });
  }
  try {
    const lines: Line[] = [];
    let title: string | undefined;
    try {
      const info = (await doc.getMetadata()).info as { Title?: string } | undefined;
      title = info?.Title?.trim() || undefined;
    } catch {
      title = undefined; // metadata is optional in PDFs
    }
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const tc = await page.getTextContent();
      let text = "";
      let size = 0;
      for (const item of tc.items as { str?: string; hasEOL?: boolean; transform?: number[] }[]) {
        if (typeof item.str !== "string") continue;
        text += item.str;
        size = Math.max(size, Math.abs(item.transform?.[3] ?? 0));
        if (item.hasEOL) {
          if (text.trim()) lines.push({ text: text.trim(), size });
          text = "";
          size = 0;
        }
      }
      if (text.trim()) lines.push({ text: text.trim(), size });
    }
    if (lines.length === 0) throw new IngestError(file, "PDF enthält keinen Text (gescannt? Bitte als Text-PDF oder HTML ablegen)");
    const sizes = lines.map((l) => l.size).sort((a, b) => a - b);
    const body = sizes[Math.floor(sizes.length / 2)] || 1;
    const sections: KnowledgeSection[] = [];
    let current: KnowledgeSection | undefined;
    let maxSize = 0;
    for (const l of lines) maxSize = Math.max(maxSize, l.size);
    for (const l of lines) {
      const isHeading = l.size > body * 1.15 && l.text.length < 120;
      if (isHeading && l.size >= maxSize * 0.999 && !title) {
        title = l.text; // the largest line is the issue title
        continue;
      }
      if (isHeading && l.size < maxSize * 0.999) {
        current = { heading: l.text, text: "" };
        sections.push(current);
        continue;
      }
      if (isHeading) continue;
      if (!current || isBoilerplate(l.text)) continue;
      // PDF lines break mid-sentence; join them, keep paragraph starts after a full stop.
      current.text += current.text ? (/[.:!?]$/.test(current.text) ? "\n" : " ") + l.text : l.text;
    }
    return rawDoc(file, content, "pdf", { title }, sections);
  } finally {
    await doc.destroy();
  }
}
