import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Prompts {
  system: string;
  answer: string;
}

/** Prompts are German text files in prompts/, so staff can read and adjust them without code changes. */
export function loadPrompts(dir: string): Prompts {
  return {
    system: readFileSync(join(dir, "system.de.txt"), "utf8").trim(),
    answer: readFileSync(join(dir, "answer.de.txt"), "utf8").trim(),
  };
}

/** Fills {{name}} placeholders; a value can never introduce a new placeholder (single pass). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? "");
}
