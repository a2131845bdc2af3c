import { unfold } from "./answer-type.js";

/** language/places.yaml: the county's Verbandsgemeinden with their Gemeinden, and places outside it. */
export interface PlacesData {
  verbandsgemeinden: {
    name: string;
    aliases?: string[];
    gemeinden: string[];
    /** Verbandsgemeinden merged into this one: older texts still speak of their areas. */
    former?: { name: string; aliases?: string[]; gemeinden: string[] }[];
  }[];
  outside?: string[];
  /** Other names of a place outside (alias: name), e.g. adjective forms. */
  outside_aliases?: Record<string, string>;
  /** When an outside place is only where someone goes, comes from, works or lives. */
  outside_scope?: { not_after?: string[]; not_near?: string[] };
  gemeinde_aliases?: Record<string, string>;
  common_words?: string[];
  county?: string[];
}

/** A place a question names, and the names under which a passage speaks of it (itself or its Verbandsgemeinde). */
export interface NamedPlace {
  name: string;
  covers: string[];
  /**
   * For a place in the area of a former Verbandsgemeinde: the names of that area (`own`) and of the other former
   * areas of the same Verbandsgemeinde (`elsewhere`). A passage about "the former VG Saarburg" does not speak of
   * Zerf (former VG Kell am See), although both are in today's VG Saarburg-Kell.
   */
  own?: string[];
  elsewhere?: string[];
  /** Outside the county (a neighbouring Kreis, another Land, another country): the knowledge speaks of it only by exception. */
  outside?: boolean;
}

interface Entry {
  /** Normalised names that refer to the place. */
  names: string[];
  /** Undefined: the whole county, which names no particular place. */
  place?: NamedPlace;
  /** Also a common word ("Bescheid", "Fell"): counts only after a preposition of place. */
  common: boolean;
  /** Outside the county: counts only where it names the question's scope (see `outside_scope`). */
  outside?: boolean;
}

/** Lower case, umlauts folded, punctuation as spaces: "Beuren (Hochwald)" → "beuren hochwald". */
export function normalisePlaceText(text: string): string {
  return unfold(text).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

const PLACE_PREPOSITIONS = ["in", "aus", "von", "nach", "bei", "für", "fuer", "zu"];

/**
 * Which places of the county (or next to it) a text names. Longer names win ("Naurath Eifel" before
 * "Naurath"), a name inside another is not counted twice.
 */
export class Places {
  private entries: Entry[] = [];
  private notAfter = new Set<string>();
  private notNear: string[] = [];

  constructor(data: PlacesData) {
    const common = new Set((data.common_words ?? []).map(normalisePlaceText));
    const aliasesOf = new Map<string, string[]>();
    for (const [alias, official] of Object.entries(data.gemeinde_aliases ?? {})) aliasesOf.set(official, [...(aliasesOf.get(official) ?? []), alias]);
    for (const vg of data.verbandsgemeinden) {
      const vgNames = [...new Set([`VG ${vg.name}`, `Verbandsgemeinde ${vg.name}`, ...(vg.aliases ?? [])].map(normalisePlaceText))];
      const whole = [...vgNames, normalisePlaceText(vg.name)];
      this.entries.push({ names: vgNames, place: { name: `VG ${vg.name}`, covers: vgNames }, common: false });
      const former = (vg.former ?? []).map((f) => ({
        gemeinden: new Set(f.gemeinden),
        names: [...new Set([`VG ${f.name}`, `Verbandsgemeinde ${f.name}`, ...(f.aliases ?? [])].map(normalisePlaceText))],
        name: f.name,
      }));
      const partOf = (g: string) => former.find((f) => f.gemeinden.has(g));
      const withPart = (part: (typeof former)[number] | undefined, names: string[]) =>
        part ? { own: [...names, ...part.names], elsewhere: former.filter((f) => f !== part).flatMap((f) => f.names), covers: [...names, ...part.names, ...whole] } : { covers: [...names, ...whole] };
      for (const f of former) this.entries.push({ names: f.names, place: { name: `VG ${f.name} (bis 2018)`, ...withPart(f, []) }, common: false });
      for (const g of vg.gemeinden) {
        const base = g.replace(/\s*\(.*\)$/, "");
        const names = [...new Set([g, base, ...(aliasesOf.get(g) ?? [])].map(normalisePlaceText))];
        // A passage about the whole Verbandsgemeinde speaks of its Gemeinden too.
        this.entries.push({ names, place: { name: g, ...withPart(partOf(g), names) }, common: names.some((n) => common.has(n)) });
      }
    }
    this.entries.push({ names: (data.county ?? []).map(normalisePlaceText), common: false });
    const outsideAliases = new Map<string, string[]>();
    for (const [alias, name] of Object.entries(data.outside_aliases ?? {})) outsideAliases.set(name, [...(outsideAliases.get(name) ?? []), alias]);
    for (const o of data.outside ?? []) {
      const names = [...new Set([o, ...(outsideAliases.get(o) ?? [])].map(normalisePlaceText))];
      this.entries.push({ names, place: { name: o, covers: names, outside: true }, common: false, outside: true });
    }
    this.notAfter = new Set((data.outside_scope?.not_after ?? []).map(normalisePlaceText));
    this.notNear = (data.outside_scope?.not_near ?? []).map(normalisePlaceText);
  }

  private get longestFirst(): { n: string; e: Entry }[] {
    return (this.sorted ??= this.entries.flatMap((e) => e.names.map((n) => ({ n, e }))).sort((a, b) => b.n.length - a.n.length));
  }

  private sorted?: { n: string; e: Entry }[];

  /** The places a text names, each once, longest name first. */
  find(text: string): NamedPlace[] {
    let t = ` ${normalisePlaceText(text)} `;
    const found: NamedPlace[] = [];
    for (const { n, e } of this.longestFirst) {
      const at = t.indexOf(` ${n} `);
      if (at < 0) continue;
      if (e.common && !PLACE_PREPOSITIONS.some((p) => t.slice(0, at).endsWith(` ${p}`))) continue;
      // Every occurrence is looked at: "wohnt in Luxemburg … gibt es das in Luxemburg auch?" asks about Luxembourg.
      let scoped = !e.outside;
      for (let i = at; i >= 0; i = t.indexOf(` ${n} `, i + 1)) {
        if (!scoped && this.namesScope(t, i, n)) scoped = true;
        // Taken: "Trier Land" is not also "Land", "Kell am See" not also "Kell".
        t = t.slice(0, i) + " ".repeat(n.length + 1) + t.slice(i + n.length + 1);
      }
      if (scoped && e.place && !found.includes(e.place)) found.push(e.place);
    }
    return found;
  }

  /** Whether the outside place at `at` is where the question asks about, not where someone goes, comes from or lives. */
  private namesScope(t: string, at: number, n: string): boolean {
    const before = t.slice(0, at).trim().split(" ").filter(Boolean).slice(-3);
    if (before.length && this.notAfter.has(before[before.length - 1])) return false;
    const after = t.slice(at + n.length + 1).trim().split(" ").filter(Boolean).slice(0, 1);
    return ![...before, ...after].some((w) => this.notNear.some((c) => w.startsWith(c)));
  }

  /** Does a (normalised, space-padded) passage text speak of this place? */
  static mentions(place: NamedPlace, paddedText: string): boolean {
    const named = (t: string) => (n: string) => t.includes(` ${n} `);
    if (!place.elsewhere?.length) return place.covers.some(named(paddedText));
    // Today's Verbandsgemeinde is blanked first: "VG Saarburg-Kell" is neither "VG Saarburg" nor "Kell".
    let t = paddedText;
    for (const n of place.covers.filter((c) => !place.own!.includes(c)).sort((a, b) => b.length - a.length)) t = t.split(` ${n} `).join("  ");
    if (place.own!.some(named(t))) return true;
    if (place.elsewhere.some(named(t))) return false;
    return place.covers.some(named(paddedText));
  }
}
