/** The doctor's report for a person: what was checked and found fine, then each problem with what to do. */
import type { DoctorReport } from './types';

const ACCOUNTS_SHOWN = 10;

export function renderDoctorText(report: DoctorReport): string {
  const who =
    report.perspective === 'scanner'
      ? `as the scanner function${report.principal ? ` (${report.principal})` : ''}`
      : `with your credentials${report.principal ? ` (${report.principal})` : ''}`;
  const width = Math.max(0, ...[...report.checks, ...report.problems].map((item) => item.area.length));
  const lines = [`trailwatch doctor: the deployment named by ${report.source}, checked ${who} at ${report.checkedAt}`, ''];
  for (const check of report.checks) lines.push(`  ok       ${check.area.padEnd(width)}  ${check.text}`);
  for (const problem of report.problems) {
    lines.push(`  PROBLEM  ${problem.area.padEnd(width)}  ${problem.summary}`);
    const under = ' '.repeat(13 + width);
    if (problem.accounts && problem.accounts.length > 0) {
      const more = problem.accounts.length - ACCOUNTS_SHOWN;
      lines.push(`${under}accounts: ${problem.accounts.slice(0, ACCOUNTS_SHOWN).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
    }
    lines.push(`${under}to do: ${problem.todo}`);
    for (const command of problem.commands ?? []) lines.push(`${under}  ${command}`);
  }
  if (report.notes.length > 0) {
    lines.push('', 'Notes');
    for (const note of report.notes) lines.push(`  ${note}`);
  }
  lines.push(
    '',
    report.healthy
      ? `Healthy: ${report.checks.length} checks passed.`
      : `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} (${report.checks.length} checks passed): see "to do" above.`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
