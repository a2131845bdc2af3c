import type { KnowledgeDoc, KnowledgeSection } from "./knowledge-types.js";
import { IngestError } from "./ingest-error.js";
import { isBoilerplate, rawDoc } from "./raw-newsletter.js";

interface Line {
  text: string;
  size: number;
  page: number;
  y: number;
}

interface LinkBox {
  page: number;
  url: string;
  y1: number;
  y2: number;
}

/**
 * Extracts text lines with font size and position; lines larger than body text are headings (the
 * largest is the issue title), wrapped heading lines are joined, and link annotations are attached
 * to the section whose line they sit on.
 */
export async function parsePdfNewsletter(file: string, content: Buffer): Promise<KnowledgeDoc> {
  if (content.length === 0) throw new IngestError(file, "Datei ist leer");
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let doc;
  try {
    doc = await pdfjs.getDocument({ data: new Uint8Array(content), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  } catch (err) {
    // pdf.js says why in English ("Invalid PDF structure."): staff read German; the log keeps the cause.
    throw new IngestError(file, "Die PDF-Datei ist beschädigt oder kein PDF. Bitte speichern oder exportieren Sie sie noch einmal", { cause: err });
  }
  try {
    const lines: Line[] = [];
    const links: LinkBox[] = [];
    let title: string | undefined;
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const tc = await page.getTextContent();
      // Group items by baseline: pdf.js marks line ends with empty items that carry the NEXT line's
      // position and size, so hasEOL cannot be trusted for sizes.
      let cur: Line | undefined;
      for (const item of tc.items as { str?: string; transform?: number[] }[]) {
        if (typeof item.str !== "string" || item.str === "") continue;
        const y = item.transform?.[5] ?? 0;
        const size = Math.abs(item.transform?.[3] ?? 0);
        if (cur && Math.abs(cur.y - y) <= 2) {
          cur.text += item.str;
          if (item.str.trim()) cur.size = Math.max(cur.size, size);
        } else {
          if (cur && cur.text.trim()) lines.push({ ...cur, text: cur.text.replace(/\s+/g, " ").trim() });
          cur = { text: item.str, size: item.str.trim() ? size : 0, page: p, y };
        }
      }
      if (cur && cur.text.trim()) lines.push({ ...cur, text: cur.text.replace(/\s+/g, " ").trim() });
      for (const a of (await page.getAnnotations()) as { subtype?: string; url?: string; rect?: number[] }[]) {
        if (a.subtype === "Link" && a.url && /^https?:/.test(a.url) && a.rect) links.push({ page: p, url: a.url, y1: a.rect[1], y2: a.rect[3] });
      }
    }
    try {
      // Printed from HTML, the PDF's Title is the newsletter's <title>: the best title there is.
      const info = (await doc.getMetadata()).info as { Title?: string } | undefined;
      if (info?.Title?.trim()) title = info.Title.trim();
    } catch {
      title = undefined; // metadata is optional in PDFs
    }
    const metaTitle = title;
    if (lines.length === 0) throw new IngestError(file, "PDF enthält keinen Text (gescannt? Bitte als Text-PDF oder HTML ablegen)");
    const sizes = lines.map((l) => l.size).sort((a, b) => a - b);
    const body = sizes[Math.floor(sizes.length / 2)] || 1;
    const maxSize = sizes[sizes.length - 1];
    const sections: KnowledgeSection[] = [];
    const sectionOfLine = new Map<Line, KnowledgeSection>();
    let current: KnowledgeSection | undefined;
    let prevHeading: Line | undefined;
    const headingSized = (l: Line) => l.size > body * 1.15 && l.text.length < 140;
    // The title is the largest type – unless section headings are set larger than it (a mail printed to PDF with
    // big article headings): when the largest size stands in more than one place, the title is the heading the
    // document opens with, and every other heading starts a section.
    const largest = (l: Line) => headingSized(l) && l.size >= maxSize * 0.95;
    const runs = lines.filter((l, i) => largest(l) && !(i > 0 && largest(lines[i - 1]) && lines[i - 1].page === l.page)).length;
    const titleSize = runs > 1 ? (headingSized(lines[0]) ? lines[0].size : Infinity) : maxSize * 0.95;
    const opening = runs > 1;
    let titleDone = false;
    // The masthead before the first section ("Trier, 15. Dezember 2026") holds the date and number.
    const head: string[] = [];
    for (const l of lines) {
      if (!sections.length) head.push(l.text);
      const isHeading = headingSized(l);
      const continues = prevHeading && Math.abs(prevHeading.size - l.size) < 0.5 && prevHeading.page === l.page;
      const isTitle = isHeading && (opening ? !titleDone && Math.abs(l.size - titleSize) < 0.5 && (l === lines[0] || !!continues) : l.size >= titleSize);
      if (!isTitle) titleDone ||= opening;
      if (isTitle) {
        if (!metaTitle) title = continues && title ? `${title} ${l.text}` : title ?? l.text;
        prevHeading = l;
        continue;
      }
      if (isHeading) {
        if (continues && current && !current.text) current.heading += ` ${l.text}`;
        else {
          current = { heading: l.text, text: "" };
          sections.push(current);
        }
        sectionOfLine.set(l, current);
        prevHeading = l;
        continue;
      }
      prevHeading = undefined;
      if (!current || isBoilerplate(l.text)) continue;
      sectionOfLine.set(l, current);
      // PDF lines break mid-sentence; join them, keep paragraph starts after a full stop.
      current.text += current.text ? (/[.:!?]$/.test(current.text) ? "\n" : " ") + l.text : l.text;
    }
    // The issue's own title often sits one size below the masthead; it is not a section.
    if (sections[0] && /^(newsletter|ausgabe)\b/i.test(sections[0].heading)) {
      const first = sections[0];
      if (!metaTitle) title = first.heading;
      first.heading = title ?? first.heading;
    }
    for (const link of links) {
      const line = lines.find((l) => l.page === link.page && l.y >= link.y1 - 2 && l.y <= link.y2 + 2);
      const s = line && sectionOfLine.get(line);
      if (s && !s.link && !/abmelden|unsubscribe/i.test(link.url)) s.link = link.url;
    }
    return rawDoc(file, content, "pdf", { title, head: [metaTitle ?? "", ...head].join("\n") }, sections);
  } finally {
    await doc.destroy();
  }
}
