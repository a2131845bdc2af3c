import type { Store, WeeklyStats } from "../store/store.js";
import { isoWeek } from "../time.js";
import { escapeHtml, raw, type SafeHtml } from "./pages/html.js";

export interface TopicGap {
  topic: string;
  handedOver: number;
  thumbsDown: number;
  examples: string[];
}

export interface KnowledgeGaps {
  weeks: WeeklyStats[];
  topics: TopicGap[];
  sinceIso: string;
}

/** Statistics for the "Wissenslücken" page: every one of the last `weeks` weeks (zeros included). */
export async function knowledgeGaps(store: Store, weeks = 12, now = new Date()): Promise<KnowledgeGaps> {
  const stats = new Map((await store.weeklyStats(weeks)).map((w) => [w.week, w]));
  const filled: WeeklyStats[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const week = isoWeek(new Date(now.getTime() - i * 7 * 86400_000).toISOString());
    filled.push(stats.get(week) ?? { week, questions: 0, answered: 0, handedOver: 0, thumbsUp: 0, thumbsDown: 0 });
  }
  const sinceIso = new Date(now.getTime() - weeks * 7 * 86400_000).toISOString();
  const byTopic = new Map<string, TopicGap>();
  const add = (rows: { topic: string; count: number; examples: string[] }[], field: "handedOver" | "thumbsDown") => {
    for (const r of rows) {
      const g = byTopic.get(r.topic) ?? { topic: r.topic, handedOver: 0, thumbsDown: 0, examples: [] };
      g[field] += r.count;
      for (const e of r.examples) if (g.examples.length < 3 && !g.examples.includes(e)) g.examples.push(e);
      byTopic.set(r.topic, g);
    }
  };
  add(await store.topicCounts(sinceIso, "handover"), "handedOver");
  add(await store.topicCounts(sinceIso, "thumbs_down"), "thumbsDown");
  const topics = [...byTopic.values()].sort((a, b) => b.handedOver + b.thumbsDown - (a.handedOver + a.thumbsDown)).slice(0, 10);
  return { weeks: filled, topics, sinceIso };
}

/** Share of rated answers that got a thumbs-down, or undefined when nothing was rated. */
export function thumbsDownRate(w: WeeklyStats): number | undefined {
  const rated = w.thumbsUp + w.thumbsDown;
  return rated ? w.thumbsDown / rated : undefined;
}

export const CHART_COLORS = { answered: "#2e7d32", handedOver: "#c77700", rate: "#b3261e", grid: "#d5dbe1", text: "#3c4650" };

/** Four whole-number grid steps (1, 2, 5, 10, 20, 50, …) that cover the tallest bar. */
function niceStep(maxValue: number): number {
  const raw = Math.max(1, maxValue / 4);
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
}

/**
 * Stacked weekly bars (answered directly / handed over) with the thumbs-down rate as a line on a
 * 0–100 % axis on the right. Plain inline SVG built from numbers only: no library, no CDN.
 */
export function weeklyChartSvg(weeks: WeeklyStats[]): SafeHtml {
  const W = 640, H = 300, left = 40, right = 48, top = 16, bottom = 44;
  const plotW = W - left - right, plotH = H - top - bottom;
  const step = niceStep(Math.max(...weeks.map((w) => w.answered + w.handedOver), 0));
  const max = step * 4;
  const slot = plotW / Math.max(1, weeks.length);
  const barW = Math.min(36, slot * 0.6);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = step * i;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${yy}" y2="${yy}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>`);
    parts.push(`<text x="${left - 6}" y="${yy}" dy="4" text-anchor="end" font-size="12" fill="${CHART_COLORS.text}">${Math.round(v)}</text>`);
    parts.push(`<text x="${W - right + 6}" y="${yy}" dy="4" font-size="12" fill="${CHART_COLORS.rate}">${25 * i} %</text>`);
  }
  const points: string[] = [];
  weeks.forEach((w, i) => {
    const cx = left + slot * i + slot / 2;
    const x = (cx - barW / 2).toFixed(1);
    const hA = (w.answered / max) * plotH;
    const hH = (w.handedOver / max) * plotH;
    const label = escapeHtml(`${w.week}: ${w.answered} direkt beantwortet, ${w.handedOver} weitergegeben`);
    parts.push(`<g><title>${label}</title>`);
    if (hA > 0) parts.push(`<rect x="${x}" y="${(top + plotH - hA).toFixed(1)}" width="${barW.toFixed(1)}" height="${hA.toFixed(1)}" fill="${CHART_COLORS.answered}"/>`);
    if (hH > 0) parts.push(`<rect x="${x}" y="${(top + plotH - hA - hH).toFixed(1)}" width="${barW.toFixed(1)}" height="${hH.toFixed(1)}" fill="${CHART_COLORS.handedOver}"/>`);
    parts.push(`</g>`);
    const kw = escapeHtml(`KW ${w.week.split("-W")[1] ?? w.week}`);
    parts.push(`<text x="${cx.toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle" font-size="12" fill="${CHART_COLORS.text}">${kw}</text>`);
    const rate = thumbsDownRate(w);
    if (rate !== undefined) points.push(`${cx.toFixed(1)},${(top + plotH - rate * plotH).toFixed(1)}`);
  });
  if (points.length > 1) parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${CHART_COLORS.rate}" stroke-width="2"/>`);
  for (const p of points) {
    const [cx, cy] = p.split(",");
    parts.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${CHART_COLORS.rate}"/>`);
  }
  parts.push(`<text x="${left}" y="${H - 8}" font-size="12" fill="${CHART_COLORS.text}">Fragen je Kalenderwoche (links) · Daumen-runter-Quote (rechts)</text>`);
  return raw(
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">` +
      `<title id="chart-title">Fragen je Woche: direkt beantwortet und weitergegeben, mit Daumen-runter-Quote</title>` +
      parts.join("") +
      `</svg>`,
  );
}
