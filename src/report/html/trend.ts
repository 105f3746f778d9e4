/** The trend: pass rate overall and per check over the last days, as inline SVG (no script, no library). */
import type { CheckSlug } from '../../controls/types';
import { text } from './escape';
import { passRate, TREND_DAYS, type HistoryPoint, type StatusCounts } from './history';
import type { PageColumn } from './model';

const DAY_MS = 24 * 60 * 60 * 1000;

function percent(rate: number | undefined): string {
  return rate === undefined ? 'n/a' : `${Math.round(rate * 1000) / 10}%`;
}

function day(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

function describe(counts: StatusCounts): string {
  const excepted = counts.excepted ? `, ${counts.excepted} EXCEPTED` : '';
  return `${counts.pass} PASS, ${counts.fail} FAIL, ${counts.error} ERROR${excepted}`;
}

interface Scale {
  x(iso: string): number;
  y(rate: number): number;
}

function scale(from: number, until: number, box: { left: number; top: number; width: number; height: number }): Scale {
  const span = Math.max(1, until - from);
  return {
    x: (iso) => round(box.left + ((Date.parse(iso) - from) / span) * box.width),
    y: (rate) => round(box.top + (1 - rate) * box.height),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function line(points: readonly HistoryPoint[], counts: (p: HistoryPoint) => StatusCounts | undefined, s: Scale): string {
  return points
    .map((p) => {
      const c = counts(p);
      const rate = c ? passRate(c) : undefined;
      return rate === undefined ? undefined : `${s.x(p.finishedAt)},${s.y(rate)}`;
    })
    .filter((xy): xy is string => xy !== undefined)
    .join(' ');
}

function overallChart(points: readonly HistoryPoint[], from: number, until: number): string {
  const width = 760;
  const height = 210;
  const box = { left: 44, top: 10, width: width - 60, height: height - 44 };
  const s = scale(from, until, box);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((r) => `<line x1="${box.left}" x2="${box.left + box.width}" y1="${s.y(r)}" y2="${s.y(r)}" stroke="#d0d7de" stroke-width="1"/><text x="${box.left - 6}" y="${s.y(r) + 4}" text-anchor="end">${r * 100}%</text>`)
    .join('');
  const ticks = [from, from + (until - from) / 2, until]
    .map((t, i) => {
      const iso = new Date(t).toISOString();
      const anchor = i === 0 ? 'start' : i === 2 ? 'end' : 'middle';
      return `<text x="${s.x(iso)}" y="${box.top + box.height + 18}" text-anchor="${anchor}">${day(iso)}</text>`;
    })
    .join('');
  const dots = points
    .map((p) => {
      const rate = passRate(p.total);
      if (rate === undefined) return '';
      return `<circle cx="${s.x(p.finishedAt)}" cy="${s.y(rate)}" r="3.5" fill="#0969da"><title>${text(`${day(p.finishedAt)}: ${percent(rate)} pass (${describe(p.total)}; ${p.accounts} accounts)`)}</title></circle>`;
    })
    .join('');
  const first = passRate(points[0]?.total ?? { pass: 0, fail: 0, error: 0, excepted: 0 });
  const last = passRate(points[points.length - 1]?.total ?? { pass: 0, fail: 0, error: 0, excepted: 0 });
  const label = `Overall pass rate over the last ${TREND_DAYS} days: ${percent(first)} on ${day(points[0]?.finishedAt ?? new Date(until).toISOString())}, ${percent(last)} now`;
  return `<svg class="chart" role="img" aria-label="${text(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${text(label)}</title>${grid}${ticks}<polyline points="${line(points, (p) => p.total, s)}" fill="none" stroke="#0969da" stroke-width="2"/>${dots}</svg>`;
}

function sparkline(points: readonly HistoryPoint[], check: CheckSlug, from: number, until: number): string {
  const width = 190;
  const height = 36;
  const s = scale(from, until, { left: 2, top: 3, width: width - 4, height: height - 6 });
  const counts = (p: HistoryPoint) => p.checks[check];
  const last = [...points].reverse().find((p) => counts(p));
  const lastRate = last ? passRate(counts(last) as StatusCounts) : undefined;
  const dot = last && lastRate !== undefined ? `<circle cx="${s.x(last.finishedAt)}" cy="${s.y(lastRate)}" r="2.5" fill="#57606a"/>` : '';
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-hidden="true"><line x1="2" x2="${width - 2}" y1="${s.y(1)}" y2="${s.y(1)}" stroke="#dafbe1" stroke-width="1"/><polyline points="${line(points, counts, s)}" fill="none" stroke="#57606a" stroke-width="1.5"/>${dot}</svg>`;
}

/** The trend section: `points` are oldest first and end with this report's own. */
export function trendHtml(points: readonly HistoryPoint[], columns: readonly PageColumn[], options: { until: string; source?: string }): string {
  const until = Date.parse(options.until);
  const from = until - TREND_DAYS * DAY_MS;
  const source = options.source ? ` from ${text(options.source)}` : '';
  const intro =
    points.length <= 1
      ? `<p class="muted">Only this scan so far${source}: earlier reports draw the trend (<code>--history DIR</code> or <code>--history s3://bucket/prefix</code>; the Lambda keeps them in its report bucket).</p>`
      : `<p class="muted">${points.length} scans in the last ${TREND_DAYS} days${source} (the last of each day). Pass rate = PASS / (PASS + FAIL + ERROR); excepted findings are left out.</p>`;
  const sparks = columns
    .map((column) => {
      const withCheck = points.filter((p) => p.checks[column.check]);
      const first = withCheck[0];
      const now = passRate(column.counts);
      const since = first && withCheck.length > 1 ? `from ${percent(passRate(first.checks[column.check] as StatusCounts))} on ${day(first.finishedAt)}` : 'no earlier scan';
      return `<li><div class="h"><b>${text(column.control)}</b><span>${text(column.check)}</span><b class="rate">${percent(now)}</b></div>${sparkline(points, column.check, from, until)}<span class="muted">${since}</span></li>`;
    })
    .join('');
  return `<section id="trend">
<h2>Trend</h2>
${intro}
${overallChart(points, from, until)}
<ul class="sparks">${sparks}</ul>
</section>`;
}
