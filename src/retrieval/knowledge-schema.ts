import { z } from "zod";

/** YAML turns unquoted dates into Date objects; accept both and keep ISO day strings. */
const isoDay = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Datum im Format JJJJ-MM-TT erwartet")
    .refine((s) => !Number.isNaN(Date.parse(s + "T00:00:00Z")) && new Date(s + "T00:00:00Z").toISOString().startsWith(s), "kein gültiges Datum"),
);

const httpUrl = z
  .string()
  .url("Link muss eine vollständige URL sein")
  .refine((s) => /^https?:\/\//.test(s), "Link muss mit http:// oder https:// beginnen");

const topicList = z.array(z.string().regex(/^[a-z0-9_]+$/, "Themen: Kleinbuchstaben, Ziffern, _")).min(1, "mindestens ein Thema");

export const DeadlineSchema = z.object({
  date: isoDay,
  label: z.string().min(3),
  yearly: z.boolean().optional().default(false),
});

export const FundingSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, "Programm-Schlüssel: Kleinbuchstaben, Ziffern, -"),
  section: z.string().optional(),
  programme: z.string().min(3),
  funder: z.string().min(2),
  amount: z.string().min(1),
  applicants: z.string().min(2),
  contact: z.string().min(2),
  link: httpUrl,
  deadlines: z.array(DeadlineSchema).optional().default([]),
  /** Found in the text of an issue uploaded as sent (its deadlines only): not a programme's data to copy. */
  fromText: z.boolean().optional(),
});

export const NewsletterMetaSchema = z.object({
  kind: z.literal("newsletter"),
  id: z.string().regex(/^nl-[a-z0-9-]+$/, "id beginnt mit nl-"),
  issue: z.number().int().positive(),
  date: isoDay,
  title: z.string().min(5),
  theme: z.string().optional(),
  link: httpUrl,
  topics: topicList,
  stand: isoDay.optional(),
  legal: z.boolean().optional().default(false),
  funding: z.array(FundingSchema).optional().default([]),
});

export const FaqMetaSchema = z.object({
  kind: z.literal("faq"),
  id: z.string().regex(/^faq-[a-z0-9-]+$/, "id beginnt mit faq- (Kleinbuchstaben, Ziffern, -)"),
  question: z.string().min(5),
  alternatives: z.array(z.string().min(2)).optional().default([]),
  topics: topicList,
  stand: isoDay,
  link: httpUrl,
  source: z.string().optional(),
  legal: z.boolean().optional().default(false),
  programme: z.string().regex(/^[a-z0-9-]+$/).optional(),
  funding: z.array(FundingSchema).optional().default([]),
  draft: z.boolean().optional().default(false),
});

export type Funding = z.infer<typeof FundingSchema>;
export type NewsletterMeta = z.infer<typeof NewsletterMetaSchema>;
export type FaqMeta = z.infer<typeof FaqMetaSchema>;

export const FAQ_MAX_WORDS = 120;
/** A FAQ question longer than this is a story, not a question someone would ask again. */
export const FAQ_MAX_QUESTION_CHARS = 300;
