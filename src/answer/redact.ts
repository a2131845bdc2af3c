/** Personal data that must not leave for an external LLM: phone numbers, e-mail addresses, IBANs. */
const PATTERNS: [RegExp, string][] = [
  [/\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,4})?\b/g, "[IBAN entfernt]"],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "[E-Mail entfernt]"],
  [/(?:\+|00)\d{1,3}[\s/-]?(?:\(?\d+\)?[\s/-]?){2,6}\d|\b0\d{2,5}[\s/-]?\d{2,}(?:[\s-]?\d{2,})*\b/g, "[Telefon entfernt]"],
];

export function redactPersonalData(text: string): string {
  let out = text;
  for (const [re, repl] of PATTERNS) out = out.replace(re, repl);
  return out;
}

/** The phone numbers, e-mail addresses and IBANs in a text, as written. */
export function personalDataIn(text: string): string[] {
  return PATTERNS.flatMap(([re]) => [...text.matchAll(new RegExp(re.source, re.flags))].map((m) => m[0]));
}
