/** The words every formatter uses for exceptions (accepted risk). Pure. */
import type { FindingException } from '../evaluate/types';
import type { ExceptionEntryRef, ExceptionsOutcome } from '../exceptions/types';

/** "accepted until 2027-06-30 by ciso@example.com (SIEM): <reason>" */
export function exceptionInWords(exception: FindingException): string {
  const kind = exception.kind === 'siem' ? ' (monitored by a SIEM)' : '';
  return `accepted until ${exception.expires} by ${exception.approvedBy}${kind}: ${exception.reason}`;
}

function entryInWords(entry: ExceptionEntryRef): string {
  return entry.id ? `entry ${entry.entry} ('${entry.id}')` : `entry ${entry.entry}`;
}

/** One line per thing a person should know: how many applied, each expired entry, each stale one. */
export function exceptionsOutcomeLines(outcome: ExceptionsOutcome): string[] {
  const from = outcome.source ? ` (${outcome.source})` : '';
  const lines = [`${outcome.applied} finding${outcome.applied === 1 ? '' : 's'} excepted${from}`];
  for (const entry of outcome.expired) {
    const again = entry.findings > 0 ? `: ${entry.findings} finding${entry.findings === 1 ? '' : 's'} it covered count${entry.findings === 1 ? 's' : ''} again` : '';
    lines.push(`${entryInWords(entry)} expired on ${entry.expires}${again}`);
  }
  for (const entry of outcome.stale) lines.push(`${entryInWords(entry)} is stale: ${entry.why}`);
  return lines;
}
