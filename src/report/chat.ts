/**
 * The scan as one chat-sized message in AWS Chatbot's (Amazon Q Developer in chat applications)
 * custom notification format: published to an SNS topic a Chatbot channel configuration
 * subscribes, it shows in Slack or Microsoft Teams as a card with a title, a description and next
 * steps. Pure: report -> message object.
 *
 * Chatbot renders `client-markdown` in the chat platform's own markdown, so any text read from a
 * member account (an account's name) is reduced to letters, digits and a few harmless signs and
 * shown as inline code: it cannot open a link, mention someone (`@channel`, `<!here>`, `<at>`) or
 * format the message.
 */
import { sortFindings } from './controls';
import type { ScanReport } from './types';
import type { Finding } from '../evaluate/types';

export const CHAT_VERSION = '1.0';
export const CHAT_SOURCE = 'custom';
export const CHAT_TEXT_TYPE = 'client-markdown';
export const CHAT_EVENT_TYPE = 'TrailwatchScan';

/**
 * trailwatch's own bounds, well inside what Slack shows in one block (3,000 characters of text)
 * and SNS carries (256 KB): a card that is read, not scrolled.
 */
export const CHAT_LIMITS = { title: 250, description: 3000, nextSteps: 5, nextStep: 300, keywords: 5, keyword: 50, summary: 250 } as const;

/** How many unexcepted FAIL and ERROR findings the card lists before it counts the rest. */
const LISTED_FINDINGS = 15;
/** The longest account name shown. */
const NAME_CHARS = 40;

export interface ChatNotification {
  readonly version: typeof CHAT_VERSION;
  readonly source: typeof CHAT_SOURCE;
  readonly id: string;
  readonly content: {
    readonly textType: typeof CHAT_TEXT_TYPE;
    readonly title: string;
    readonly description: string;
    readonly nextSteps: string[];
    readonly keywords: string[];
  };
  readonly metadata: {
    /** Every scan of a benchmark in one thread, where the channel allows threads. */
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: typeof CHAT_EVENT_TYPE;
    readonly additionalContext: Record<string, string>;
  };
}

export interface ChatOptions {
  /** The report page (S3 console link), when the Lambda stored one. */
  readonly pageUrl?: string;
}

/** Text from a member account as inline code that no chat platform reads as markup or a mention. */
export function chatQuote(text: string, maxChars = NAME_CHARS): string {
  const kept = [...text.normalize('NFKC')].map((c) => (/^[\p{L}\p{N} ._:/+=,-]$/u.test(c) ? c : '?')).join('');
  const short = [...kept].length > maxChars ? `${[...kept].slice(0, maxChars - 1).join('')}…` : kept;
  return `\`${short.trim() || '?'}\``;
}

export function renderChatNotification(report: ScanReport, options: ChatOptions = {}): ChatNotification {
  const { pass, fail, error } = report.summary;
  const excepted = report.summary.excepted ?? 0;
  const accounts = report.accounts.length;
  const worst = error > 0 ? 'ERROR' : fail > 0 ? 'FAIL' : 'PASS';
  const counts = `${fail} FAIL, ${error} ERROR${excepted ? `, ${excepted} EXCEPTED` : ''}`;
  const title = cut(`trailwatch ${worst === 'PASS' ? 'all passing' : worst}: ${counts} in ${accounts} account${accounts === 1 ? '' : 's'} (${report.benchmark})`, CHAT_LIMITS.title);
  const nextSteps = [
    ...(worst === 'PASS' ? [] : ['Read the findings email for each failure: its reason, the broken link and the command that fixes it']),
    ...(options.pageUrl && /^https:\/\/[\x21-\x7e]+$/.test(options.pageUrl) ? [cut(`The report page: ${options.pageUrl}`, CHAT_LIMITS.nextStep)] : []),
    ...(excepted ? ['Excepted findings are accepted risk until their exception expires; the email lists them'] : []),
  ].slice(0, CHAT_LIMITS.nextSteps);
  return {
    version: CHAT_VERSION,
    source: CHAT_SOURCE,
    id: `trailwatch/${report.benchmark}/${report.finishedAt}`,
    content: {
      textType: CHAT_TEXT_TYPE,
      title,
      description: describe(report, `*Result:* ${counts}, ${pass} PASS`),
      nextSteps,
      keywords: ['trailwatch', report.benchmark, worst],
    },
    metadata: {
      threadId: `trailwatch-${report.benchmark}`,
      summary: cut(title, CHAT_LIMITS.summary),
      eventType: CHAT_EVENT_TYPE,
      additionalContext: {
        benchmark: report.benchmark,
        finishedAt: report.finishedAt,
        accounts: String(accounts),
        fail: String(fail),
        error: String(error),
        excepted: String(excepted),
        pass: String(pass),
      },
    },
  };
}

/** The result line, then the unexcepted FAIL and ERROR findings one a line, within the description's bound. */
function describe(report: ScanReport, result: string): string {
  const names = new Map(report.accounts.map((a) => [a.accountId, a.name]));
  const counted = sortFindings(report.findings).filter((f) => f.status !== 'PASS' && !f.exception);
  const withFindings = new Set(report.findings.map((f) => f.accountId));
  const unscanned = report.accounts.filter((a) => a.status === 'ERROR' && !withFindings.has(a.accountId));
  const lines = [result];
  if (unscanned.length > 0) lines.push(`*Not scanned:* ${unscanned.length} account${unscanned.length === 1 ? '' : 's'} (see the email)`);
  const listed = counted.slice(0, LISTED_FINDINGS);
  const rest = (shown: number): string => `…and ${counted.length - shown} more in the email`;
  let text = lines.join('\n');
  let shown = 0;
  for (const finding of listed) {
    const line = `• ${findingLine(finding, names.get(finding.accountId))}`;
    // Room is kept for the "and N more" line whenever something could still follow.
    if ((text + '\n' + line + '\n' + rest(shown + 1)).length > CHAT_LIMITS.description) break;
    text += `\n${line}`;
    shown += 1;
  }
  if (shown < counted.length) text += `\n${rest(shown)}`;
  return text;
}

function findingLine(finding: Finding, name: string | undefined): string {
  const account = `${finding.accountId}${name ? ` ${chatQuote(name)}` : ''}`;
  const link = finding.brokenLink ? `, broken link: ${finding.brokenLink}` : '';
  return `*${finding.status}* ${account}: ${finding.control} ${finding.check}${link}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
