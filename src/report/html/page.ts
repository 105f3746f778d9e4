/**
 * renderHtml: a scan report (and the history of earlier ones) as one self-contained HTML page.
 * Inline CSS and SVG, one small inline script, nothing fetched: the Content-Security-Policy
 * forbids every load and allows only the page's own style sheet and script, by hash. Every value
 * from the report is escaped; values from member accounts are never trusted.
 */
import { createHash } from 'node:crypto';
import { benchmarkInWords, linkInWords, type ControlTitleLookup } from '../controls';
import type { ScanReport } from '../types';
import { PAGE_CSS, PAGE_SCRIPT } from './assets';
import { text, token } from './escape';
import { historyPoint, passRate, trendPoints, type HistoryPoint, type StatusCounts } from './history';
import { causesHtml, matrixHtml } from './matrix';
import { buildModel, type OrganizationTrailView, type PageModel } from './model';
import { STATUS_LETTER } from './status';
import { trendHtml } from './trend';

export interface HtmlOptions {
  /** Earlier reports' points (any benchmark, any age: the page keeps this benchmark's last 90 days). */
  readonly history?: readonly HistoryPoint[];
  /** Where the history came from, said under the chart ("s3://bucket/trailwatch/"). */
  readonly historySource?: string;
  readonly titles?: ControlTitleLookup;
  /** Start with passing rows hidden; by default when there are more than 50 accounts. */
  readonly collapsePassing?: boolean;
}

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

function sha256(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** No load of any kind; only this page's own style sheet and script run. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256(PAGE_CSS)}`,
  `script-src ${sha256(PAGE_SCRIPT)}`,
  "img-src 'none'",
  "font-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(report: ScanReport, options: HtmlOptions = {}): string {
  const model = buildModel(report, options.titles ? { titles: options.titles } : {});
  const points = trendPoints([...(options.history ?? []), historyPoint(report)], { benchmark: report.benchmark, until: report.finishedAt });
  const title = `trailwatch: ${benchmarkInWords(report.benchmark)}, ${when(report.finishedAt)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${headline(model)}
<main>
${worstChecks(model)}
${matrixHtml(model, options.collapsePassing === undefined ? {} : { collapsePassing: options.collapsePassing })}
${trendHtml(points, model.columns, { until: report.finishedAt, ...(options.historySource ? { source: options.historySource } : {}) })}
${organizationTrails(model)}
${causesHtml(model)}
${notScanned(model)}
${notes(report)}
</main>
<aside id="panel" hidden tabindex="-1" aria-label="Selected finding"><button type="button" class="close">Close</button><h3><span class="p-status badge"></span> <span class="p-check"></span></h3><p class="p-account"></p><div class="p-body"></div><p><a class="p-cause" href="#causes">The same cause in other accounts</a></p></aside>
<footer>trailwatch report page: one file, nothing fetched from the network. Generated from the scan report of ${text(report.finishedAt)}.</footer>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** "2025-01-15 12:00 UTC", or the text as given when it is not a time. */
function when(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function duration(startedAt: string, finishedAt: string): string {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (Number.isNaN(ms) || ms < 0) return '';
  if (ms < 60_000) return ` (took ${Math.max(1, Math.round(ms / 1000))} s)`;
  return ` (took ${Math.round(ms / 60_000)} min)`;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function headline(model: PageModel): string {
  const { report, counts, accounts } = model;
  const rate = passRate(counts);
  const tile = (cls: string, value: string, label: string) => `<li class="${cls}"><b>${value}</b>${label}</li>`;
  return `<header>
<h1>trailwatch: ${text(benchmarkInWords(report.benchmark))} monitoring controls</h1>
<p class="meta">Scan of ${text(when(report.finishedAt))}${text(duration(report.startedAt, report.finishedAt))} · ${plural(accounts.total, 'account')}: ${accounts.judged} judged${accounts.throughOrganizationTrail ? `, ${accounts.throughOrganizationTrail} judged through the organization trail without being read` : ''}, ${accounts.skipped} skipped, ${accounts.error} in error · ${plural(model.columns.length, 'check')}</p>
<ul class="tiles">
${tile('P', String(counts.pass), 'PASS')}
${tile('F', String(counts.fail), 'FAIL')}
${tile('E', String(counts.error), 'ERROR (could not tell)')}
${tile('X', String(counts.excepted), 'EXCEPTED')}
${tile('', rate === undefined ? 'n/a' : `${Math.round(rate * 100)}%`, 'pass rate')}
</ul>
</header>`;
}

function bar(counts: StatusCounts): string {
  const total = counts.pass + counts.fail + counts.error + counts.excepted;
  const width = 200;
  let x = 0;
  const parts: string[] = [];
  for (const [n, colour] of [
    [counts.fail, '#cf222e'],
    [counts.error, '#d4a72c'],
    [counts.excepted, '#8250df'],
    [counts.pass, '#2da44e'],
  ] as const) {
    if (n === 0 || total === 0) continue;
    const w = Math.round((n / total) * width * 10) / 10;
    parts.push(`<rect x="${x}" y="0" width="${w}" height="12" fill="${colour}"/>`);
    x += w;
  }
  return `<svg width="${width}" height="12" viewBox="0 0 ${width} 12" aria-hidden="true">${parts.join('')}</svg>`;
}

function worstChecks(model: PageModel): string {
  if (model.worstChecks.length === 0) {
    return `<section id="worst"><h2>Worst checks</h2><p>No check fails or errs in any account.</p></section>`;
  }
  const rows = model.worstChecks
    .slice(0, 5)
    .map((c) => {
      const n = c.counts.fail + c.counts.error;
      const total = c.counts.pass + c.counts.fail + c.counts.error + c.counts.excepted;
      return `<tr><th><a href="#matrix-section">${text(c.control)} ${text(c.check)}</a>${c.title ? `<br><span class="muted">${text(c.title)}</span>` : ''}</th><td>${bar(c.counts)}</td><td class="n">${n} of ${total}</td><td>${c.counts.fail} FAIL, ${c.counts.error} ERROR</td></tr>`;
    })
    .join('\n');
  const more = model.worstChecks.length > 5 ? `<p class="muted">${model.worstChecks.length - 5} more check(s) fail somewhere: see the matrix.</p>` : '';
  return `<section id="worst"><h2>Worst checks</h2><table class="worst">${rows}</table>${more}</section>`;
}

function accountLabel(model: PageModel, accountId: string): string {
  const name = model.names.get(accountId);
  return `${text(accountId)}${name ? ` (${text(name)})` : ''}`;
}

function nameOf(arn: string | undefined): string {
  if (!arn) return 'unknown';
  const slash = arn.lastIndexOf('/');
  const colon = arn.lastIndexOf(':');
  return arn.slice(Math.max(slash, colon) + 1);
}

function trailHtml(model: PageModel, view: OrganizationTrailView): string {
  const members = view.accountIds.map((id) => `<a href="#a-${token(id)}">${accountLabel(model, id)}</a>`).join(', ');
  const notRead = model.report.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL' && a.organizationTrail?.owner === view.ownerAccountId).length;
  const notReadText = notRead ? `<p>${plural(notRead, 'member')} of these ${notRead === 1 ? 'was' : 'were'} judged through this trail without being read: its chain settles every check, and a member cannot change it.</p>\n` : '';
  const rows = view.checks
    .map((c) => {
      const results = (['pass', 'fail', 'error', 'excepted'] as const)
        .filter((k) => c.counts[k] > 0)
        .map((k) => {
          const status = k.toUpperCase() as 'PASS' | 'FAIL' | 'ERROR' | 'EXCEPTED';
          return `<span class="badge ${STATUS_LETTER[status]}">${STATUS_LETTER[status]}</span> ${c.counts[k]} ${status}`;
        })
        .join(' ');
      const links = c.brokenLinks.length ? ` at ${c.brokenLinks.map((l) => text(linkInWords(l))).join(', ')}` : '';
      const settled = c.counts.pass + c.counts.fail + c.counts.error + c.counts.excepted;
      return `<tr><td>${text(c.control)} ${text(c.check)}</td><td>${plural(settled, 'account')}</td><td>${results}${links}</td></tr>`;
    })
    .join('\n');
  return `<h3>Trail <code>${text(nameOf(view.trail))}</code> of account ${accountLabel(model, view.ownerAccountId)}</h3>
<p>${view.trail ? `<code>${text(view.trail)}</code>` : ''}${view.logGroup ? ` delivers to log group <code>${text(nameOf(view.logGroup))}</code>` : ''}.</p>
<details><summary>Serves ${plural(view.accountIds.length, 'account')} (its owner and the members it is credited to)</summary><p>${members}</p></details>
${notReadText}<p>Checks its chains settle (the other checks rely on each account's own trail and chain):</p>
<table class="plain"><tr><th>Check</th><th>Settled for</th><th>Result</th></tr>
${rows}</table>`;
}

function organizationTrails(model: PageModel): string {
  const body = model.organizationTrails.length
    ? model.organizationTrails.map((view) => trailHtml(model, view)).join('\n')
    : '<p>No finding is credited to an organization trail: every account is judged on its own trails.</p>';
  return `<section id="organization-trails"><h2>Organization trails</h2>\n${body}\n</section>`;
}

function notScanned(model: PageModel): string {
  const rows = model.groups.flatMap((g) => g.rows).filter((r) => r.status === 'ERROR' || r.status === 'SKIPPED');
  if (rows.length === 0) return '';
  const lines = rows
    .map((r) => `<tr><td>${accountLabel(model, r.accountId)}</td><td>${text(r.status)}</td><td>${text(r.error ?? '')}</td></tr>`)
    .join('\n');
  return `<section id="not-scanned"><h2>Accounts not scanned</h2><table class="plain"><tr><th>Account</th><th>Status</th><th>Why</th></tr>\n${lines}</table></section>`;
}

function notes(report: ScanReport): string {
  const items = report.stats?.notes ?? [];
  const list = items.length ? `<ul>${items.map((n) => `<li>${text(n)}</li>`).join('')}</ul>` : '';
  const remediation = report.remediation
    ? `<details><summary>Remediation (${text(report.remediation.mode)}): ${report.remediation.planned} change(s) planned</summary><pre>${text(report.remediation.text)}</pre></details>`
    : '';
  if (!list && !remediation) return '';
  return `<section id="notes"><h2>Notes</h2>${list}${remediation}</section>`;
}
