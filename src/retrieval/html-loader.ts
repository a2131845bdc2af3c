import type { KnowledgeDoc, KnowledgeSection } from "./knowledge-types.js";
import { IngestError } from "./ingest-error.js";
import { isBoilerplate, rawDoc, type RawMeta } from "./raw-newsletter.js";

/** Parses an e-mail style newsletter: <h2> starts a section; paragraphs, list items and cells are its text. */
export async function parseHtmlNewsletter(file: string, content: Buffer): Promise<KnowledgeDoc> {
  const html = content.toString("utf8");
  if (!html.trim()) throw new IngestError(file, "Datei ist leer");
  // Loaded on first use (about 20 MB): an instance whose index is current never parses HTML.
  const cheerio = await import("cheerio");
  const $ = cheerio.load(html);
  $("script, style, noscript").remove();
  // A line break is a word break: "…ins neue Jahr!<br>Ihr Team" must not read "Jahr!Ihr".
  $("br").replaceWith(" ");
  const meta = (name: string) => $(`meta[name="${name}"]`).attr("content")?.trim() || undefined;
  const issueStr = meta("issue");
  const m: RawMeta = {
    title: $("title").first().text().trim() || $("h1").first().text().trim() || undefined,
    date: meta("date"),
    issue: issueStr && /^\d+$/.test(issueStr) ? Number(issueStr) : undefined,
    topics: meta("topics")?.split(",").map((t) => t.trim()).filter((t) => /^[a-z0-9_]+$/.test(t)),
    link: meta("link"),
  };
  const sections: KnowledgeSection[] = [];
  let current: KnowledgeSection | undefined;
  // The masthead before the first section ("Trier, 15. Dezember 2026") holds the issue's date and number.
  const head: string[] = [$("title").first().text().trim()];
  // Document order over the elements that carry text; table layouts nest them arbitrarily deep.
  $("h1, h2, h3, p, li").each((_, el) => {
    const tag = (el as { tagName?: string }).tagName?.toLowerCase();
    const text = $(el).text().replace(/\s+/g, " ").trim();
    if (!text) return;
    if (tag === "h1") {
      if (!current) head.push(text);
      return;
    }
    if (tag === "h2") {
      current = { heading: text, text: "" };
      sections.push(current);
      return;
    }
    if (!current) {
      head.push(text); // header blocks before the first section
      return;
    }
    if (isBoilerplate(text)) return; // footer paragraphs (unsubscribe, imprint) carry no knowledge
    const href = $(el).find("a[href^='http']").first().attr("href");
    if (href && !current.link && !/abmelden|unsubscribe/i.test(href)) current.link = href;
    current.text += (current.text ? "\n" : "") + (tag === "li" ? `• ${text}` : text);
  });
  return rawDoc(file, content, "html", { ...m, head: head.join("\n") }, sections);
}
