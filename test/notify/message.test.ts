import fc from 'fast-check';
import { CHECK_SLUGS } from '../../src/controls/types';
import {
  messageBytes,
  singleMessage,
  splitMessages,
  splitReport,
  subjectFor,
  worstStatus,
  type ReportPart,
} from '../../src/notify/message';
import type { Finding } from '../../src/evaluate/types';
import { finding, organizationReport, report } from './fixtures';

const info = { email: { level: 'info' as const } };

describe('subjectFor', () => {
  it('counts FAIL and ERROR findings, accounts and the benchmark', () => {
    // Prepare: 12 accounts, 3 failing, none in error
    const r = organizationReport(12, ['root_usage'], (i) => (i < 3 ? 'FAIL' : 'PASS'));
    // Act / Assess
    expect(subjectFor(r)).toBe('trailwatch: 3 FAIL, 0 ERROR in 12 accounts (cis-aws-v4.0.0)');
  });

  it('adds a note when it fits and drops it when the subject would pass 99 characters', () => {
    const r = organizationReport(1, ['root_usage'], () => 'FAIL');

    expect(subjectFor(r, '2 new, 1 fixed')).toBe('trailwatch: 1 FAIL, 0 ERROR in 1 account (cis-aws-v4.0.0): 2 new, 1 fixed');
    expect(subjectFor(r, 'x'.repeat(80))).toBe('trailwatch: 1 FAIL, 0 ERROR in 1 account (cis-aws-v4.0.0)');
  });

  it('never holds a line break or more than 99 characters', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.string(), (fail, error, note) => {
        const r = { ...report([]), summary: { pass: 0, fail, error } };
        const subject = subjectFor(r, note);
        // eslint-disable-next-line no-control-regex
        return subject.length <= 99 && !/[\u0000-\u001f]/.test(subject);
      }),
    );
  });
});

describe('worstStatus', () => {
  it('ranks ERROR above FAIL above PASS', () => {
    expect(worstStatus(report([finding('111111111111', 'root_usage', 'PASS')]))).toBe('PASS');
    expect(worstStatus(report([finding('111111111111', 'root_usage', 'FAIL'), finding('111111111111', 'vpc_changes', 'PASS')]))).toBe('FAIL');
    expect(worstStatus(report([finding('111111111111', 'root_usage', 'FAIL'), finding('222222222222', 'root_usage', 'ERROR')]))).toBe('ERROR');
  });

  it('counts an account that could not be scanned as ERROR', () => {
    const r = report([finding('111111111111', 'root_usage', 'PASS')], {
      accounts: [{ accountId: '111111111111', status: 'SCANNED' }, { accountId: '222222222222', status: 'ERROR', error: 'x' }],
    });

    expect(worstStatus(r)).toBe('ERROR');
  });

  it('does not count an account in ERROR whose every finding is excepted, and counts one in ERROR without findings', () => {
    // Prepare: 222222222222 is ERROR with one excepted ERROR finding; 333333333333 is ERROR with none
    const exception = { reason: 'accepted', approvedBy: 'ciso@example.com', expires: '2027-01-31' };
    const findings = [finding('111111111111', 'root_usage', 'PASS'), finding('222222222222', 'root_usage', 'ERROR', { exception })];
    const accounts = [
      { accountId: '111111111111', status: 'SCANNED' as const },
      { accountId: '222222222222', status: 'ERROR' as const, error: 'x' },
    ];
    // Act / Assess
    expect(worstStatus(report(findings, { accounts }))).toBe('PASS');
    expect(worstStatus(report(findings, { accounts: [...accounts, { accountId: '333333333333', status: 'ERROR', error: 'y' }] }))).toBe('ERROR');
  });

  it('puts the same worst status on every part of a split report', () => {
    // Prepare: one account in ERROR at the end of a report that needs several parts
    const r = organizationReport(600, ['root_usage', 'vpc_changes'], (i) => (i % 3 ? 'PASS' : 'FAIL'));
    const withError = { ...r, accounts: [...r.accounts, { accountId: '999999999999', status: 'ERROR' as const, error: 'AccessDenied' }] };
    // Act
    const { messages } = splitMessages(withError, { ...info, maxMessageBytes: 64 * 1024 });
    // Assess
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.map((m) => m.attributes.worstStatus?.StringValue)).toEqual(messages.map(() => 'ERROR'));
  });
});

describe('singleMessage', () => {
  it('puts the JSON report under default and the text under email, with the attributes subscribers filter on', () => {
    // Prepare
    const r = report([finding('111111111111', 'root_usage', 'FAIL'), finding('111111111111', 'vpc_changes', 'PASS')]);
    // Act
    const message = singleMessage(r, info);
    // Assess
    expect(message).toBeDefined();
    const envelope = JSON.parse(message?.message ?? '{}') as { default: string; email: string };
    expect(JSON.parse(envelope.default)).toEqual(r);
    expect(envelope.email).toContain('FAILING ACCOUNTS BY CHECK');
    expect(message?.attributes).toEqual({
      worstStatus: { DataType: 'String', StringValue: 'FAIL' },
      benchmark: { DataType: 'String', StringValue: 'cis-aws-v4.0.0' },
      fail: { DataType: 'Number', StringValue: '1' },
      error: { DataType: 'Number', StringValue: '0' },
      part: { DataType: 'Number', StringValue: '1' },
      parts: { DataType: 'Number', StringValue: '1' },
    });
  });

  it('is undefined for a report over the limit', () => {
    const r = organizationReport(400, ['root_usage', 'vpc_changes'], () => 'FAIL');

    expect(singleMessage(r, { ...info, maxMessageBytes: 64 * 1024 })).toBeUndefined();
  });
});

describe('splitMessages', () => {
  function reassemble(parts: ReportPart[]): { accounts: string[]; findings: string[] } {
    return {
      accounts: parts.flatMap((p) => p.accounts.map((a) => a.accountId)),
      findings: parts.flatMap((p) => p.findings.map((f) => `${f.accountId}/${f.check}`)),
    };
  }

  it('numbers the parts, keeps each within the limit and loses no finding', () => {
    // Prepare: a report of about 1 MB
    const r = organizationReport(1000, ['root_usage', 'vpc_changes', 'iam_policy_changes'], (i) => (i % 2 ? 'FAIL' : 'PASS'));
    // Act
    const { messages, omittedFindings } = splitMessages(r, { ...info, fullReportLocation: 's3://bucket/trailwatch/reports/r.json' });
    // Assess
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) expect(messageBytes(m)).toBeLessThanOrEqual(262_144);
    const envelopes = messages.map((m) => JSON.parse(m.message) as { default: string; email: string });
    const parts = envelopes.map((e) => JSON.parse(e.default) as ReportPart);
    expect(parts.map((p) => p.reportPart.index)).toEqual(messages.map((_, i) => i + 1));
    expect(parts.every((p) => p.reportPart.count === messages.length)).toBe(true);
    expect(parts.every((p) => p.reportPart.fullReportLocation === 's3://bucket/trailwatch/reports/r.json')).toBe(true);
    const back = reassemble(parts);
    expect(back.accounts).toEqual(r.accounts.map((a) => a.accountId));
    expect(back.findings).toEqual(r.findings.map((f) => `${f.accountId}/${f.check}`));
    expect(messages[0]?.attributes.parts).toEqual({ DataType: 'Number', StringValue: String(messages.length) });
    expect(messages[1]?.attributes.part).toEqual({ DataType: 'Number', StringValue: '2' });
    // The email: part 1 says how much was left out and where the whole is; the others say what they are.
    expect(omittedFindings).toBeGreaterThan(0);
    expect(envelopes[0]?.email).toContain(`This email was cut to fit SNS's 256 KB message limit: ${omittedFindings.toLocaleString('en-US')} findings`);
    expect(envelopes[0]?.email).toContain('The full report: s3://bucket/trailwatch/reports/r.json');
    expect(envelopes[1]?.email).toContain(`Part 2 of ${messages.length} of the trailwatch JSON report`);
    expect(messages[0]?.subject).toBe(`trailwatch: 1500 FAIL, 0 ERROR in 1000 accounts (cis-aws-v4.0.0): part 1 of ${messages.length}`);
    expect(messages[1]?.subject).toBe(`trailwatch: JSON report part 2 of ${messages.length} (cis-aws-v4.0.0)`);
  });

  it('builds the same parts one at a time, when asked (publishing holds one part at once)', () => {
    // Prepare
    const r = organizationReport(300, ['root_usage', 'vpc_changes'], (i) => (i % 2 ? 'FAIL' : 'PASS'));
    const options = { ...info, maxMessageBytes: 32 * 1024 };
    // Act
    const split = splitReport(r, options);
    const first = split.messages().next();
    // Assess
    const whole = splitMessages(r, options);
    expect(split.parts).toBe(whole.messages.length);
    expect(split.omittedFindings).toBe(whole.omittedFindings);
    expect(first.value).toEqual(whole.messages[0]);
    expect([...split.messages()]).toEqual(whole.messages);
  });

  it('keeps every message within any limit and every finding exactly once (property)', () => {
    const reason = fc.string({ minLength: 0, maxLength: 600, unit: 'binary' });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...CHECK_SLUGS), fc.constantFrom('PASS', 'FAIL', 'ERROR' as const), reason), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 12 * 1024, max: 48 * 1024 }),
        (rows, limit) => {
          const findings: Finding[] = rows.map(([check, status, text], i) =>
            finding(String(100000000000 + i), check, status, { reason: text, fix: text }),
          );
          const r = report(findings);
          const { messages } = splitMessages(r, { ...info, maxMessageBytes: limit });
          const parts = messages.map((m) => JSON.parse((JSON.parse(m.message) as { default: string }).default) as ReportPart);
          const back = reassemble(parts);
          return (
            messages.every((m) => messageBytes(m) <= limit) &&
            JSON.stringify(back.findings) === JSON.stringify(findings.map((f) => `${f.accountId}/${f.check}`))
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
