/** The accounts x checks matrix and the findings grouped by cause that its cells point to. */
import type { BrokenLink } from '../../evaluate/types';
import { linkInWords } from '../controls';
import { text, token } from './escape';
import type { PageCause, PageModel, PageRow } from './model';
import { exceptionOf, STATUS_LETTER, type CellStatusValue } from './status';

/** Two letters for the broken link, next to the status letter in a cell. */
export const LINK_ABBREVIATION: Record<BrokenLink, string> = {
  trail: 'tr',
  logGroup: 'lg',
  metricFilter: 'mf',
  alarm: 'al',
  topic: 'tp',
  subscription: 'sb',
};

/** Passing rows start collapsed above this many accounts. */
export const COLLAPSE_ABOVE = 50;

export function statusLabel(status: CellStatusValue, brokenLink: BrokenLink | null): string {
  return brokenLink ? `${status} at ${linkInWords(brokenLink)}` : status;
}

function accountCell(row: PageRow): string {
  const name = row.name ? ` <span class="nm">${text(row.name)}</span>` : '';
  return `<th scope="row" class="r" id="a-${token(row.accountId)}"><span class="id">${text(row.accountId)}</span>${name}</th>`;
}

function rowHtml(row: PageRow, columns: number): string {
  if (row.status === 'SKIPPED' || (row.cells.every((c) => c === undefined) && row.status === 'ERROR')) {
    const why = row.status === 'SKIPPED' ? `not scanned: ${row.error ?? 'skipped'}` : `could not be scanned: ${row.error ?? 'no reason given'}`;
    return `<tr class="a skip">${accountCell(row)}<td class="S" colspan="${columns}">${text(why)}</td></tr>`;
  }
  const classes = ['a', ...[...row.has].filter((s) => s !== 'PASS').map((s) => `h${STATUS_LETTER[s]}`)];
  if (row.notPassing === 0) classes.push('ok');
  const cells = row.cells.map((cell) => {
    if (!cell) return '<td class="N" title="no finding">&middot;</td>';
    const letter = STATUS_LETTER[cell.status];
    if (cell.status === 'PASS') return `<td class="P"><a href="#${cell.causeId}">P</a></td>`;
    const label = statusLabel(cell.status, cell.brokenLink);
    const link = cell.brokenLink ? `<small>${LINK_ABBREVIATION[cell.brokenLink]}</small>` : '';
    return `<td class="${letter}"><a href="#${cell.causeId}" title="${text(label)}" data-label="${text(label)}">${letter}${link}</a></td>`;
  });
  return `<tr class="${classes.join(' ')}">${accountCell(row)}${cells.join('')}</tr>`;
}

export function matrixHtml(model: PageModel, options: { collapsePassing?: boolean } = {}): string {
  const columns = model.columns;
  const collapse = options.collapsePassing ?? model.accounts.total > COLLAPSE_ABOVE;
  const head = columns
    .map((c) => {
      const title = `${c.control} ${c.check}${c.title ? `: ${c.title}` : ''}`;
      return `<th scope="col" class="c" data-check="${token(c.check)}" title="${text(title)}">${text(c.control)} ${text(c.check)}</th>`;
    })
    .join('');
  const bodies = model.groups.map((group) => {
    const passing = group.rows.filter((r) => r.status !== 'SKIPPED' && r.notPassing === 0 && r.cells.some((c) => c)).length;
    const needAction = group.rows.filter((r) => r.notPassing > 0).length;
    const notScanned = group.rows.filter((r) => r.status === 'ERROR' || r.status === 'SKIPPED').length;
    const facts = [
      `${group.rows.length} account${group.rows.length === 1 ? '' : 's'}`,
      `${needAction} need${needAction === 1 ? 's' : ''} action`,
      `${passing} pass${passing === 1 ? 'es' : ''} every check`,
      ...(notScanned ? [`${notScanned} not scanned`] : []),
    ].join(' · ');
    const okNote = passing > 0 ? `<tr class="okn"><td colspan="${columns.length + 1}">${passing} account${passing === 1 ? '' : 's'} passing every check hidden: tick “Show passing rows”</td></tr>` : '';
    return (
      `<tbody data-ou="${text(group.id)}"><tr class="g"><th colspan="${columns.length + 1}">${text(group.label)} <span class="n">${facts}</span></th></tr>` +
      group.rows.map((row) => rowHtml(row, columns.length)).join('\n') +
      okNote +
      '</tbody>'
    );
  });

  const statuses: [string, string][] = [
    ['all', 'All rows'],
    ['F', 'Rows with FAIL'],
    ['E', 'Rows with ERROR'],
    ['X', 'Rows with EXCEPTED'],
  ];
  const radios = statuses
    .map(([value, _]) => `<input type="radio" class="vh" name="st" id="st-${value}" value="${value === 'all' ? '' : value}"${value === 'all' ? ' checked' : ''}>`)
    .join('');
  const radioLabels = statuses.map(([value, label]) => `<label class="t" for="st-${value}">${label}</label>`).join('');
  const ouOptions = model.groups.map((g) => `<option value="${text(g.id)}">${text(g.label)}</option>`).join('');
  const checkOptions = columns.map((c) => `<option value="${token(c.check)}">${text(c.control)} ${text(c.check)}</option>`).join('');
  const legend =
    'Each cell is an account’s finding for a check: <span class="badge P">P</span> PASS, <span class="badge F">F</span> FAIL, ' +
    '<span class="badge E">E</span> ERROR (could not tell), <span class="badge X">X</span> EXCEPTED (an accepted FAIL or ERROR); ' +
    'the small letters name the first broken link: ' +
    Object.entries(LINK_ABBREVIATION)
      .map(([link, abbreviation]) => `${abbreviation} ${linkInWords(link as BrokenLink)}`)
      .join(', ') +
    '. Select a cell for the reason, the regions not covered and the fix.';
  return `<section id="matrix-section">
<h2>Accounts × checks</h2>
<p class="legend">${legend}</p>
${model.ouKnown ? '' : `<p class="muted">The organizational units of these accounts are not known (the report does not carry them), so they are listed together.</p>`}
${radios}<input type="checkbox" class="vh" id="show-ok"${collapse ? '' : ' checked'}>
<div class="controls">${radioLabels}<label class="t" for="show-ok">Show passing rows</label>
<label class="needs-js" hidden>OU <select id="f-ou"><option value="">all</option>${ouOptions}</select></label>
<label class="needs-js" hidden>Check <select id="f-check"><option value="">all</option>${checkOptions}</select></label></div>
<div class="mwrap"><table class="m" id="matrix"><colgroup><col class="ac"><col span="${Math.max(1, columns.length)}" class="cc"></colgroup><thead><tr><th scope="col" class="r">Account</th>${head}</tr></thead>
${bodies.join('\n')}
</table></div>
</section>`;
}

/** Text with its `code` spans. */
function withCode(value: string): string {
  return value
    .split('`')
    .map((part, index) => (index % 2 === 1 ? `<code>${text(part)}</code>` : text(part)))
    .join('');
}

/** The reason, with the fix said once: most reasons end with it, and the fix is shown (copyable) below. */
function reasonHtml(reason: string, fix: string | undefined): string {
  const quoted = fix ? `\`${fix}\`` : '';
  const at = quoted ? reason.indexOf(quoted) : -1;
  if (at < 0) return withCode(reason);
  return `${withCode(reason.slice(0, at))}the command below${withCode(reason.slice(at + quoted.length))}`;
}

function causeDetail(cause: PageCause): string {
  const f = cause.finding;
  const facts: string[] = [];
  if (f.brokenLink) facts.push(`<dt>Broken link</dt><dd>${text(linkInWords(f.brokenLink))}</dd>`);
  if (f.status !== 'PASS' || f.uncoveredRegions.length > 0) {
    facts.push(`<dt>Regions not covered</dt><dd>${f.uncoveredRegions.length ? text(f.uncoveredRegions.join(', ')) : 'none'}</dd>`);
  }
  facts.push(`<dt>Regions covered</dt><dd>${f.coveredRegions.length ? text(f.coveredRegions.join(', ')) : 'none'}</dd>`);
  const fix = f.fix && f.status !== 'PASS' ? `<div class="fix"><p>Fix:</p><pre>${text(f.fix)}</pre><button type="button" class="copy" hidden>Copy</button></div>` : '';
  const notes = f.warnings?.length ? `<ul class="notes">${f.warnings.map((w) => `<li>${text(w)}</li>`).join('')}</ul>` : '';
  const exception = exceptionOf(f);
  const excepted = exception
    ? `<p class="exception">Excepted (accepted risk): ${text(exception.reason ?? 'no reason given')}; approved by ${text(exception.approvedBy ?? 'nobody named')}, until ${text(exception.expires ?? 'no date')}. The finding itself is ${text(f.status)}.</p>`
    : '';
  return `<div class="detail"><p class="reason">${reasonHtml(f.reason, f.fix)}</p><dl class="facts">${facts.join('')}</dl>${fix}${notes}${excepted}</div>`;
}

function causeHtml(cause: PageCause, model: PageModel, listAccounts: boolean): string {
  const f = cause.finding;
  const letter = STATUS_LETTER[cause.status];
  const n = cause.accountIds.length;
  const accounts = listAccounts
    ? // One text node, however many accounts: cheap to lay out on a 1,000-account page.
      `<p class="accts">${n === 1 ? 'Account' : `${n} accounts`}: ${cause.accountIds
        .map((id) => {
          const name = model.names.get(id);
          return `${text(id)}${name ? ` (${text(name)})` : ''}`;
        })
        .join(', ')}</p>`
    : `<p class="accts">${n} account${n === 1 ? '' : 's'}</p>`;
  return `<article class="cause ${letter}" id="${cause.id}" data-accounts="${n}"><h3><span class="badge ${letter}">${letter}</span> ${text(f.control)} ${text(f.check)}: ${text(statusLabel(cause.status, f.brokenLink))}</h3>${causeDetail(cause)}${accounts}</article>`;
}

export function causesHtml(model: PageModel): string {
  const needAction = model.causes.filter((c) => c.status !== 'PASS');
  const passing = model.causes.filter((c) => c.status === 'PASS');
  const open = needAction.length
    ? needAction.map((cause) => causeHtml(cause, model, true)).join('\n')
    : '<p>Nothing to fix: every finding passes.</p>';
  const passed = passing.length
    ? `<details><summary>Passing findings (${passing.reduce((n, c) => n + c.accountIds.length, 0)}), by chain</summary>\n${passing.map((cause) => causeHtml(cause, model, false)).join('\n')}\n</details>`
    : '';
  return `<section id="causes">
<h2>What to fix, by cause</h2>
<p class="muted">Findings that say the same thing are listed once, with every account they concern; the first is the most urgent.</p>
${open}
${passed}
</section>`;
}
