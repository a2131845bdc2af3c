import { germanDate } from "./format.js";

const MONTHS = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"];
const DATE = new RegExp(`(\\d{1,2})\\.\\s?(?:(${MONTHS.join("|")})|(\\d{1,2})\\.)\\s*((?:19|20)\\d{2})`, "giu");
/** How far after its cue a date still belongs to it ("Bewerbungsschluss ist der 30. September 2026"). */
const WINDOW = 60;

/**
 * Deadlines a text gives that lie before `today` ("30. September 2026"), each once, as German dates. A date counts
 * when one of `cues` stands before it in the same sentence, at most a few words away; other dates (a founding, a
 * decision) are no deadlines.
 */
export function passedDeadlines(text: string, today: Date, cues: readonly string[]): string[] {
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  // Cues are words and phrases from the data file, matched as they are written (a "." in one is no wildcard).
  const cueRes = cues.map((c) => new RegExp(`(^|[^\\p{L}])${c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^\\p{L}]|$)`, "u"));
  const found = new Set<string>();
  for (const m of text.matchAll(DATE)) {
    const month = m[2] ? MONTHS.indexOf(m[2].toLowerCase()) + 1 : Number(m[3]);
    const day = Number(m[1]);
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    // The cue must be in the same sentence: no sentence end ("." not after a digit, "!", "?", then a capital) between.
    const before = text.slice(Math.max(0, m.index! - WINDOW), m.index);
    const sentence = (before.split(/(?<!\d)[.!?]\s+(?=\p{Lu})/u).at(-1) ?? before).toLowerCase();
    if (!cueRes.some((re) => re.test(sentence))) continue;
    const year = Number(m[4]);
    if (Date.UTC(year, month - 1, day) >= start) continue;
    found.add(germanDate(`${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`));
  }
  return [...found];
}
