/**
 * The SNS messages for one report, as data (pure): subject, MessageStructure=json envelope
 * (`default`: the JSON report for machines, `email`: the text for people) and attributes,
 * each message within SNS's 256 KB (body and attributes together).
 */
import type { StatusValue } from '../evaluate/types';
import { renderEmail, type EmailOptions } from '../report/email';
import { jsonFitsWithin } from '../report/json-text';
import type { AccountResult, ScanReport } from '../report/types';
import type { Finding } from '../evaluate/types';
import type { OutgoingMessage } from './types';

/** SNS's limit for one Publish: message body plus attribute names, types and values. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** SNS wants subjects under 100 characters. */
export const SNS_MAX_SUBJECT_CHARS = 99;
/** Headroom for what we do not count exactly (the envelope's keys, rounding). */
const SAFETY_BYTES = 2_048;
/** Part 1 of a split report gives the email at most this much, the JSON the rest. */
const SPLIT_EMAIL_BYTES = 160 * 1024;

/** One numbered part of a report too large for one message: concatenate accounts and findings over the parts. */
export interface ReportPart {
  readonly reportPart: { readonly index: number; readonly count: number; readonly fullReportLocation?: string };
  readonly benchmark: ScanReport['benchmark'];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: ScanReport['summary'];
  readonly accounts: AccountResult[];
  readonly findings: Finding[];
}

export type EmailSettings = Omit<EmailOptions, 'maxSize' | 'measure' | 'fullReportLocation'>;

export interface MessageOptions {
  readonly email: EmailSettings;
  /** Added to the subject after the counts, e.g. "2 new, 1 fixed" (dropped first when too long). */
  readonly subjectNote?: string;
  /** Where the full report was stored, for a report that needs splitting. */
  readonly fullReportLocation?: string;
  /** SNS_MAX_MESSAGE_BYTES unless a test wants smaller messages. */
  readonly maxMessageBytes?: number;
}

const STATUS_RANK: Record<StatusValue, number> = { PASS: 0, FAIL: 1, ERROR: 2 };

/**
 * ERROR outranks FAIL: a check that could not be evaluated may hide anything. Excepted findings
 * (accepted risk) do not count. One pass over the accounts and one over the findings: reports of
 * 10,000 accounts have hundreds of thousands of findings.
 */
export function worstStatus(report: ScanReport): StatusValue {
  const withFindings = new Set<string>();
  const withCounted = new Set<string>();
  let worst: StatusValue = 'PASS';
  for (const finding of report.findings) {
    withFindings.add(finding.accountId);
    if (finding.exception) continue;
    withCounted.add(finding.accountId);
    if (STATUS_RANK[finding.status] > STATUS_RANK[worst]) worst = finding.status;
  }
  // An account in ERROR counts unless every finding it has is excepted.
  const accountError = report.accounts.some((a) => a.status === 'ERROR' && (withCounted.has(a.accountId) || !withFindings.has(a.accountId)));
  return accountError ? 'ERROR' : worst;
}

/** "trailwatch: 3 FAIL, 0 ERROR in 12 accounts (cis-aws-v4.0.0)", within SNS's limit and free of control characters. */
export function subjectFor(report: ScanReport, note?: string): string {
  const n = report.accounts.length;
  const excepted = report.summary.excepted ? `, ${report.summary.excepted} EXCEPTED` : '';
  const base = `trailwatch: ${report.summary.fail} FAIL, ${report.summary.error} ERROR${excepted} in ${n} account${n === 1 ? '' : 's'} (${report.benchmark})`;
  const withNote = note ? `${base}: ${note}` : base;
  return cleanSubject(withNote.length <= SNS_MAX_SUBJECT_CHARS ? withNote : base);
}

function cleanSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = subject.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length <= SNS_MAX_SUBJECT_CHARS ? clean : `${clean.slice(0, SNS_MAX_SUBJECT_CHARS - 3)}...`;
}

/** Bytes a string takes inside the JSON envelope, quotes excluded: what SNS counts. */
export function escapedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

export function envelope(defaultText: string, emailText: string): string {
  return JSON.stringify({ default: defaultText, email: emailText });
}

export function messageBytes(message: OutgoingMessage): number {
  let n = Buffer.byteLength(message.message, 'utf8');
  for (const [name, value] of Object.entries(message.attributes)) {
    n += Buffer.byteLength(name, 'utf8') + value.DataType.length + Buffer.byteLength(value.StringValue, 'utf8');
  }
  return n;
}

/** `worst`: the report's worstStatus, computed once by the caller (it reads every finding). */
function attributesFor(report: ScanReport, worst: StatusValue, part: number, parts: number): OutgoingMessage['attributes'] {
  return {
    worstStatus: { DataType: 'String', StringValue: worst },
    benchmark: { DataType: 'String', StringValue: report.benchmark },
    fail: { DataType: 'Number', StringValue: String(report.summary.fail) },
    error: { DataType: 'Number', StringValue: String(report.summary.error) },
    part: { DataType: 'Number', StringValue: String(part) },
    parts: { DataType: 'Number', StringValue: String(parts) },
  };
}

/** The one message for the whole report, or undefined when it does not fit. */
export function singleMessage(report: ScanReport, options: MessageOptions): OutgoingMessage | undefined {
  const limit = (options.maxMessageBytes ?? SNS_MAX_MESSAGE_BYTES) - SAFETY_BYTES;
  // Too large already: measured without writing the JSON (at 10,000 accounts, 150 MB of text to throw away).
  if (!jsonFitsWithin(report, limit)) return undefined;
  const json = JSON.stringify(report);
  const email = renderEmail(report, options.email);
  const message: OutgoingMessage = {
    subject: subjectFor(report, options.subjectNote),
    message: envelope(json, email.text),
    attributes: attributesFor(report, worstStatus(report), 1, 1),
  };
  return messageBytes(message) <= limit ? message : undefined;
}

/**
 * A report too large for one message: part 1 carries the email (cut to fit, saying how much was
 * left out and where the full report is) and the first JSON part; the others carry the rest of
 * the JSON, each a self-contained ReportPart.
 */
export function splitMessages(report: ScanReport, options: MessageOptions): { messages: OutgoingMessage[]; omittedFindings: number } {
  const split = splitReport(report, options);
  return { messages: [...split.messages()], omittedFindings: split.omittedFindings };
}

/**
 * splitMessages' parts, each message built only when it is asked for: publishing holds one part's
 * text at a time, not every part of a report of 10,000 accounts at once.
 */
export function splitReport(report: ScanReport, options: MessageOptions): { parts: number; omittedFindings: number; messages(): Generator<OutgoingMessage> } {
  const limit = (options.maxMessageBytes ?? SNS_MAX_MESSAGE_BYTES) - SAFETY_BYTES;
  const location = options.fullReportLocation;
  const email = renderEmail(report, {
    ...options.email,
    ...(location ? { fullReportLocation: location } : {}),
    maxSize: Math.min(SPLIT_EMAIL_BYTES, Math.floor(limit / 2)),
    measure: escapedBytes,
  });
  const laterEmail = (index: number, count: number): string =>
    [
      `Part ${index} of ${count} of the trailwatch JSON report (${report.benchmark}, ${report.finishedAt}), for machine subscribers.`,
      'The readable report was part 1.',
      ...(location ? [`The full report: ${location}`] : []),
    ].join('\n');

  const items: ({ kind: 'account'; value: AccountResult } | { kind: 'finding'; value: Finding })[] = [
    ...report.accounts.map((value) => ({ kind: 'account' as const, value })),
    ...report.findings.map((value) => ({ kind: 'finding' as const, value })),
  ];
  // The largest a part's fixed content can be (numbers at their widest), so the packing never overshoots.
  const emptyPart = (index: number, count: number): ReportPart => ({
    reportPart: { index, count, ...(location ? { fullReportLocation: location } : {}) },
    benchmark: report.benchmark,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: report.summary,
    accounts: [],
    findings: [],
  });
  const widest = 99_999;
  const worst = worstStatus(report);
  const fixedBytes = (emailText: string): number =>
    Buffer.byteLength(envelope(JSON.stringify(emptyPart(widest, widest)), emailText), 'utf8') +
    messageBytes({ subject: '', message: '', attributes: attributesFor(report, worst, widest, widest) });
  // Computed once: per item it made the split quadratic in the findings.
  const laterFixedBytes = fixedBytes(laterEmail(widest, widest));

  const groups: { accounts: AccountResult[]; findings: Finding[] }[] = [];
  let current = { accounts: [] as AccountResult[], findings: [] as Finding[] };
  let used = fixedBytes(email.text);
  for (const item of items) {
    const { value, cost } = fitsAlone(item.value, limit - laterFixedBytes);
    const empty = current.accounts.length + current.findings.length === 0;
    // Part 1 may carry no JSON at all when the email fills it; later parts take at least one item.
    if (used + cost > limit && !(empty && groups.length > 0)) {
      groups.push(current);
      current = { accounts: [], findings: [] };
      used = laterFixedBytes;
    }
    if (item.kind === 'account') current.accounts.push(value as AccountResult);
    else current.findings.push(value as Finding);
    used += cost;
  }
  groups.push(current);

  const count = groups.length;
  const messageOf = (group: { accounts: AccountResult[]; findings: Finding[] }, i: number): OutgoingMessage => {
    const index = i + 1;
    const part: ReportPart = { ...emptyPart(index, count), accounts: group.accounts, findings: group.findings };
    const subject =
      index === 1
        ? subjectFor(report, [options.subjectNote, `part 1 of ${count}`].filter(Boolean).join(', '))
        : cleanSubject(`trailwatch: JSON report part ${index} of ${count} (${report.benchmark})`);
    return {
      subject,
      message: envelope(JSON.stringify(part), index === 1 ? email.text : laterEmail(index, count)),
      attributes: attributesFor(report, worst, index, count),
    };
  };
  return {
    parts: count,
    omittedFindings: email.omittedFindings,
    *messages() {
      for (const [i, group] of groups.entries()) yield messageOf(group, i);
    },
  };
}

/** An item too large for any message (a pathological finding) is replaced by a pointer to the full report; `cost`: its bytes in a part. */
function fitsAlone<T extends AccountResult | Finding>(value: T, room: number): { value: T; cost: number } {
  const cost = escapedBytes(JSON.stringify(value)) + 1;
  if (cost <= room) return { value, cost };
  const note = 'too large for an SNS message: see the full report';
  const replaced = ('check' in value
    ? { ...value, reason: note, evidence: {}, fix: undefined, warnings: undefined, coveredRegions: [], uncoveredRegions: [] }
    : { ...value, error: note, notes: undefined, regions: undefined }) as T;
  return { value: replaced, cost: escapedBytes(JSON.stringify(replaced)) + 1 };
}
