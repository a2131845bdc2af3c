/** A word boundary that knows umlauts and ß (JavaScript's \b treats "ü" as a non-word character). */
const BOUNDARY = "(?:(?<![\\p{L}\\p{N}_])(?=[\\p{L}\\p{N}_])|(?<=[\\p{L}\\p{N}_])(?![\\p{L}\\p{N}_]))";

/** Compiles a pattern from the language files with Unicode word boundaries. */
export function languageRegex(pattern: string, flags = ""): RegExp {
  return new RegExp(pattern.replace(/\\b/g, BOUNDARY), flags.includes("u") ? flags : flags + "u");
}
