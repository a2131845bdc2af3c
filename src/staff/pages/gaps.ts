import { topicLabel } from "../../core/topic-labels.js";
import { CHART_COLORS, thumbsDownRate, weeklyChartSvg, type KnowledgeGaps } from "../gaps.js";
import { html, raw } from "./html.js";
import { page, type PageSession } from "./layout.js";
import { shorten } from "../format.js";

/** An example question is shown this long (a pasted story of pages would fill the table); the whole text on hover. */
const EXAMPLE_CHARS = 300;

const CSS = raw(`
.chart { width:100%; min-width:520px; max-width:780px; height:auto; display:block; }
.legend { display:flex; flex-wrap:wrap; gap:6px 18px; font-size:.9rem; margin:8px 0 0; padding:0; list-style:none; }
.legend span { display:inline-block; width:12px; height:12px; border-radius:2px; margin-right:6px; vertical-align:-1px; }
.totals { display:flex; flex-wrap:wrap; gap:12px; margin:0 0 12px; }
.totals .card { margin:0; flex:1 1 150px; }
.totals .num { font-size:1.6rem; font-weight:700; display:block; }
table { border-collapse:collapse; width:100%; background:#fff; font-size:.92rem; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
td.n, th.n { text-align:right; white-space:nowrap; }
.bar { height:8px; border-radius:4px; background:${CHART_COLORS.handedOver}; margin-top:4px; min-width:2px; }
.bar.down { background:${CHART_COLORS.rate}; }
ul.examples { margin:0; padding-left:18px; }
ul.examples li { overflow-wrap:anywhere; }
.scroll { overflow-x:auto; }
/* On a phone the chart scrolls sideways: it opens at its right end, the current week. */
.scroll.latest { direction:rtl; } .scroll.latest > * { direction:ltr; }
@media (max-width:600px) { .topics thead { display:none; } .topics tr { display:block; border-bottom:1px solid var(--line); padding:6px 0; } .topics td { display:block; border:0; padding:2px 8px; } .topics td.n { text-align:left; } .topics td[data-label]::before { content:attr(data-label) ": "; color:var(--muted); } }
`);

const pct = (r: number | undefined) => (r === undefined ? "–" : `${Math.round(r * 100)} %`);

export function gapsPage(opts: { session: PageSession; gaps: KnowledgeGaps }): string {
  const { weeks, topics } = opts.gaps;
  const sum = weeks.reduce(
    (a, w) => ({ q: a.q + w.questions, a: a.a + w.answered, h: a.h + w.handedOver, up: a.up + w.thumbsUp, down: a.down + w.thumbsDown }),
    { q: 0, a: 0, h: 0, up: 0, down: 0 },
  );
  const maxTopic = Math.max(1, ...topics.map((t) => t.handedOver + t.thumbsDown));
  return page({
    title: "Wissenslücken",
    session: opts.session,
    active: "gaps",
    extraCss: CSS,
    body: html`<h1>Wissenslücken</h1>
<p class="muted">Was fragen die Ortsbürgermeisterinnen und Ortsbürgermeister, und wo konnte der Ortslotse nicht helfen? Die letzten ${weeks.length} Wochen – als Anregung für die nächsten Newsletter-Themen und FAQ-Einträge.</p>
<div class="totals">
  <div class="card"><span class="num">${sum.q}</span>Fragen</div>
  <div class="card"><span class="num">${sum.a}</span>direkt beantwortet</div>
  <div class="card"><span class="num">${sum.h}</span>an das Team weitergegeben</div>
  <div class="card"><span class="num">${pct(sum.up + sum.down ? sum.down / (sum.up + sum.down) : undefined)}</span>Daumen runter (von ${sum.up + sum.down} bewerteten Antworten)</div>
</div>
<section class="card" aria-labelledby="h-weeks">
  <h2 id="h-weeks" style="margin-top:0">Fragen je Woche</h2>
  <div class="scroll latest">${weeklyChartSvg(weeks)}</div>
  <ul class="legend">
    <li><span style="background:${CHART_COLORS.answered}"></span>direkt beantwortet</li>
    <li><span style="background:${CHART_COLORS.handedOver}"></span>weitergegeben</li>
    <li><span style="background:${CHART_COLORS.rate}; border-radius:6px"></span>Daumen-runter-Quote (Anteil der bewerteten Antworten)</li>
  </ul>
  <details><summary>Zahlen als Tabelle</summary><div class="scroll"><table>
    <thead><tr><th>Woche</th><th class="n">Fragen</th><th class="n">direkt</th><th class="n">weitergegeben</th><th class="n">Daumen hoch</th><th class="n">Daumen runter</th><th class="n">Quote runter</th></tr></thead>
    <tbody>${weeks.map((w) => html`<tr><td>${w.week}</td><td class="n">${w.questions}</td><td class="n">${w.answered}</td><td class="n">${w.handedOver}</td><td class="n">${w.thumbsUp}</td><td class="n">${w.thumbsDown}</td><td class="n">${pct(thumbsDownRate(w))}</td></tr>`)}</tbody>
  </table></div></details>
</section>
<section aria-labelledby="h-topics">
  <h2 id="h-topics">Themen, die am häufigsten weitergegeben oder schlecht bewertet wurden</h2>
  <p class="hint">Beispielfragen sind Originaltexte und nur für das Team sichtbar. Bitte nicht weitergeben; für Newsletter und FAQ allgemein formulieren.</p>
  ${topics.length
    ? html`<table class="topics"><thead><tr><th>Thema</th><th class="n">weitergegeben</th><th class="n">Daumen runter</th><th>Beispielfragen</th></tr></thead><tbody>
      ${topics.map(
        (t) => html`<tr><td><strong>${topicLabel(t.topic)}</strong>
          <div class="bar" style="width:${Math.round((t.handedOver / maxTopic) * 100)}%"></div>
          ${t.thumbsDown ? html`<div class="bar down" style="width:${Math.round((t.thumbsDown / maxTopic) * 100)}%"></div>` : ""}</td>
        <td class="n" data-label="weitergegeben">${t.handedOver}</td><td class="n" data-label="Daumen runter">${t.thumbsDown}</td>
        <td><ul class="examples">${t.examples.map((e) => html`<li title="${e.length > EXAMPLE_CHARS ? e : ""}">${shorten(e, EXAMPLE_CHARS)}</li>`)}</ul></td></tr>`,
      )}</tbody></table>`
    : html`<p class="card muted">In diesem Zeitraum wurde nichts weitergegeben oder schlecht bewertet.</p>`}
</section>`,
  });
}
