/**
 * The chat message: checked against AWS Chatbot's documented custom notification schema
 * (fixtures/chatbot-custom-notification.schema.json, written from the Administrator Guide) and
 * trailwatch's size bounds, and for text from member accounts that must not become markup.
 */
import { CHECK_SLUGS } from '../../src/controls/types';
import { CHAT_LIMITS, chatQuote, renderChatNotification } from '../../src/report/chat';
import type { ScanReport } from '../../src/report/types';
import { chatSchema as schema, violations } from './chat-schema';
import { finding, sampleReport } from './fixtures';

function withinLimits(message: ReturnType<typeof renderChatNotification>): void {
  expect(message.content.title.length).toBeLessThanOrEqual(CHAT_LIMITS.title);
  expect(message.content.description.length).toBeLessThanOrEqual(CHAT_LIMITS.description);
  expect(message.content.nextSteps.length).toBeLessThanOrEqual(CHAT_LIMITS.nextSteps);
  for (const step of message.content.nextSteps) expect(step.length).toBeLessThanOrEqual(CHAT_LIMITS.nextStep);
  expect(message.content.keywords.length).toBeLessThanOrEqual(CHAT_LIMITS.keywords);
  for (const keyword of message.content.keywords) expect(keyword.length).toBeLessThanOrEqual(CHAT_LIMITS.keyword);
  expect(message.metadata.summary.length).toBeLessThanOrEqual(CHAT_LIMITS.summary);
  expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(16 * 1024);
}

describe('renderChatNotification', () => {
  it('the validator catches what the schema forbids', () => {
    const good = renderChatNotification(sampleReport());
    expect(violations({ ...good, version: '2.0' }, schema)).toEqual(['$.version: not one of ["1.0"]']);
    expect(violations({ ...good, content: { ...good.content, description: undefined, emoji: 'x' } }, schema)).toEqual([
      '$.content.description: required',
      '$.content.emoji: not in the schema',
    ]);
  });

  it('says the result, lists the unexcepted failures and errors, and fits the documented schema', () => {
    // Act
    const message = renderChatNotification(sampleReport(), { pageUrl: 'https://s3.console.aws.amazon.com/s3/object/reports?prefix=trailwatch/reports/x.html' });
    // Assess
    expect(violations(message, schema)).toEqual([]);
    withinLimits(message);
    expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' }, metadata: { threadId: 'trailwatch-cis-aws-v4.0.0' } });
    expect(message.content.title).toBe('trailwatch ERROR: 1 FAIL, 1 ERROR in 3 accounts (cis-aws-v4.0.0)');
    expect(message.content.description.split('\n')).toEqual([
      '*Result:* 1 FAIL, 1 ERROR, 2 PASS',
      '*Not scanned:* 1 account (see the email)',
      '• *FAIL* 222222222222 `workloads`: 4.3 root_usage, broken link: metricFilter',
      '• *ERROR* 222222222222 `workloads`: 4.4 iam_policy_changes',
    ]);
    expect(message.content.nextSteps).toEqual([
      'Read the findings email for each failure: its reason, the broken link and the command that fixes it',
      'The report page: https://s3.console.aws.amazon.com/s3/object/reports?prefix=trailwatch/reports/x.html',
    ]);
  });

  it('stays chat-sized for a large organization, counting what it does not list', () => {
    const findings = Array.from({ length: 400 }, (_, i) =>
      CHECK_SLUGS.map((check, j) => finding({ accountId: String(100000000000 + i), check, control: `4.${j + 1}`, status: 'FAIL', brokenLink: 'alarm' })),
    ).flat();
    const report: ScanReport = {
      ...sampleReport(),
      accounts: findings.filter((f) => f.check === 'root_usage').map((f) => ({ accountId: f.accountId, name: 'x'.repeat(200), status: 'SCANNED' as const })),
      findings,
      summary: { pass: 0, fail: 6000, error: 0 },
    };

    const message = renderChatNotification(report);

    expect(violations(message, schema)).toEqual([]);
    withinLimits(message);
    expect(message.content.description).toMatch(/\n…and \d+ more in the email$/);
    const listed = message.content.description.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(message.content.description.endsWith(`…and ${6000 - listed} more in the email`)).toBe(true);
  });

  it('shows an account name only as inline code, without anything a chat platform reads as markup or a mention', () => {
    // Prepare: names a member account's owner could choose
    const hostile = ['<!channel> deploy', '@here look', '*bold* _it_ ~x~', '[click](https://evil.example)', '`code` | <at>Alice</at>', 'line\nbreak', '&lt;script&gt;'];
    const report: ScanReport = {
      ...sampleReport(),
      accounts: hostile.map((name, i) => ({ accountId: String(200000000000 + i), name, status: 'SCANNED' as const })),
      findings: hostile.map((_, i) => finding({ accountId: String(200000000000 + i), check: 'root_usage', control: '4.3', status: 'FAIL' })),
      summary: { pass: 0, fail: hostile.length, error: 0 },
    };
    // Act
    const message = renderChatNotification(report);
    // Assess: every line is ours, with the name between backticks holding only harmless characters.
    const lines = message.content.description.split('\n').slice(1);
    expect(lines).toHaveLength(hostile.length);
    for (const line of lines) expect(line).toMatch(/^• \*FAIL\* \d{12} `[\p{L}\p{N} ._:/+=,?…-]+`: 4\.3 root_usage$/u);
    expect(message.content.description).not.toMatch(/[<>@&[\]()|]/);
    expect(chatQuote('<!channel> deploy')).toBe('`??channel? deploy`');
    expect(chatQuote('Ünïcode prod-eu 1')).toBe('`Ünïcode prod-eu 1`');
  });

  it('leaves excepted findings out of the list and says they are accepted risk', () => {
    const report: ScanReport = {
      ...sampleReport(),
      accounts: [{ accountId: '111111111111', status: 'SCANNED' }],
      findings: [
        finding({
          accountId: '111111111111',
          check: 'root_usage',
          control: '4.3',
          status: 'FAIL',
          exception: { reason: 'sandbox', approvedBy: 'ciso@example.com', expires: '2027-01-31' },
        }),
      ],
      summary: { pass: 0, fail: 0, error: 0, excepted: 1 },
    };

    const message = renderChatNotification(report);

    expect(message.content.title).toBe('trailwatch all passing: 0 FAIL, 0 ERROR, 1 EXCEPTED in 1 account (cis-aws-v4.0.0)');
    expect(message.content.description).toBe('*Result:* 0 FAIL, 0 ERROR, 1 EXCEPTED, 0 PASS');
    expect(message.content.nextSteps).toEqual(['Excepted findings are accepted risk until their exception expires; the email lists them']);
  });
});
