import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/** Who may apply; ids as in language/purposes.yaml. */
export const APPLICANTS = ["gemeinde", "verein", "initiative", "privat"] as const;
export type Applicant = (typeof APPLICANTS)[number];

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** One funding programme (knowledge/programmes/<id>.yaml): the Förder-Finder's structured knowledge. */
export const ProgrammeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, "nur Kleinbuchstaben, Ziffern und Bindestriche"),
    name: z.string().min(3),
    names: z.array(z.string().min(2)).default([]),
    funder: z.string().min(2),
    applicants: z.array(z.enum(APPLICANTS)),
    purposes: z.array(z.string().min(2)).min(1),
    summary: z.string().min(10),
    /** Where it applies, when not everywhere in the county ("nur im Gebiet der LAG Mosel: …"): shown in the list. */
    area: z.string().optional(),
    /** What every funded project must be, when the purposes alone would promise too much ("nur inklusive Projekte …"): shown in the list. */
    condition: z.string().optional(),
    /** The county's Verbandsgemeinden it is open to, when not all (language/places.yaml names): a question naming a place elsewhere does not list it. */
    vgs: z.array(z.string().min(2)).optional(),
    amount: z.string().optional(),
    rate: z.string().optional(),
    own_share: z.string().optional(),
    deadline: z.union([z.literal("laufend"), z.literal("unbekannt"), z.literal("beendet"), z.string().regex(isoDate, "JJJJ-MM-TT, „laufend“, „unbekannt“ oder „beendet“")]),
    deadline_note: z.string().optional(),
    apply: z.string().optional(),
    contact: z.string().optional(),
    link: z.string().url().optional(),
    sources: z.array(z.string().min(3)).min(1),
    stand: z.string().regex(isoDate),
  })
  .strict();
export type Programme = z.infer<typeof ProgrammeSchema>;

export class ProgrammeError extends Error {}

/**
 * Reads knowledge/programmes/*.yaml. A broken file is named with the field that is wrong; purposes must
 * be ids of language/purposes.yaml and sources ids of knowledge entries (checked by the caller that knows them).
 */
export function loadProgrammes(knowledgeDir: string, knownPurposes: Set<string>, onError?: (err: ProgrammeError) => void): Programme[] {
  const dir = join(knowledgeDir, "programmes");
  if (!existsSync(dir)) return [];
  const out: Programme[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".yaml")).sort()) {
    try {
      out.push(readProgramme(dir, f, knownPurposes));
    } catch (err) {
      // While running, one broken file must not take the others (or the start) down: skip and say which.
      if (onError && err instanceof ProgrammeError) onError(err);
      else throw err;
    }
  }
  return out;
}

function readProgramme(dir: string, f: string, knownPurposes: Set<string>): Programme {
  let raw: unknown;
  try {
    raw = parse(readFileSync(join(dir, f), "utf8"));
  } catch (err) {
    throw new ProgrammeError(`Förderprogramm ${f}: kein gültiges YAML (${(err as Error).message.split("\n")[0]})`);
  }
  return checkProgramme(raw, f, knownPurposes);
}

/** A programme read from YAML, checked as the Förder-Finder needs it; the error names the file and the field. */
export function checkProgramme(raw: unknown, f: string, knownPurposes: Set<string>): Programme {
  const r = ProgrammeSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ProgrammeError(`Förderprogramm ${f}: Feld „${i.path.join(".") || "(Datei)"}“ – ${germanIssue(i)}`);
  }
  const unknown = r.data.purposes.filter((p) => !knownPurposes.has(p));
  if (unknown.length) throw new ProgrammeError(`Förderprogramm ${f}: unbekannter Zweck „${unknown.join(", ")}“ (erlaubt: language/purposes.yaml)`);
  if (`${r.data.id}.yaml` !== f) throw new ProgrammeError(`Förderprogramm ${f}: id „${r.data.id}“ passt nicht zum Dateinamen`);
  return r.data;
}

/** Zod's message in German for the checks the schema makes (staff read it in /staff, not only developers). */
function germanIssue(i: z.ZodIssue): string {
  switch (i.code) {
    case "too_small":
      return i.type === "array" ? `mindestens ${i.minimum} Angabe(n) nötig` : `zu kurz (mindestens ${i.minimum} Zeichen)`;
    case "invalid_type":
      return i.received === "undefined" ? "fehlt" : `falscher Typ (${i.received} statt ${i.expected})`;
    case "invalid_string":
      return i.validation === "url" ? "keine gültige Internetadresse (https://…)" : i.message;
    case "invalid_enum_value":
      return `„${String(i.received)}“ ist nicht erlaubt (erlaubt: ${i.options.join(", ")})`;
    case "unrecognized_keys":
      return `unbekannte Felder: ${i.keys.join(", ")}`;
    default:
      return i.message;
  }
}
