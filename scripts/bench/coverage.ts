/**
 * The cost of coverage decisions: every check of a benchmark against every filter of one busy
 * log group (the evaluator asks covers() for each pair it cannot rule out by metric). The
 * filters are what such log groups hold: the reference patterns, rewrites of them, near misses
 * (one event name dropped, an extra condition), broader patterns and unrelated ones, and the
 * kinds coverage now decides exactly: regexes (%...%), wildcards (*) and numbers compared with
 * text. Every decision includes its explanation when not covered, as the evaluator's do.
 */
import { controlsFor, type BenchmarkId } from '../../src/controls';
import { EVENT_NAMES, patternMissing, REFORMATTED_PATTERNS_V4 } from '../../src/demo/patterns';
import { eventNamesOf } from '../../src/evaluate/control-coverage';
import { COVERAGE_STEPS, covers, decideCoverage, parsePattern, Work, WorkLimitExceeded, type JsonExpression, type Pattern } from '../../src/pattern';
import { forgetCoverageCaches } from '../../src/pattern/coverage';
import { hostileFilters } from './hostile-patterns';

/** The text between a JSON pattern's outer braces. */
function inner(pattern: string): string {
  return pattern.slice(pattern.indexOf('{') + 1, pattern.lastIndexOf('}')).trim();
}

const UNRELATED = [
  'ERROR',
  '"Access Denied"',
  '?ERROR ?WARN ?FATAL',
  '-DEBUG "failed"',
  '{ $.errorCode = "*" }',
  '{ $.eventSource = "ec2.amazonaws.com" }',
  '{ $.userIdentity.type = "IAMUser" && $.eventName = "ConsoleLogin" }',
  '{ $.responseElements.count > 10 }',
  '{ $.requestParameters.bucketName = "logs-*" }',
  '{ $.userIdentity.arn = "arn:aws:iam::*:role/Admin*" }',
  '{ $.sourceIPAddress != "10.*" && $.eventType = "AwsApiCall" }',
  '{ $.eventName = %^Delete.*% }',
  '[version, account, eni, source, destination, srcport, destport = 22, protocol, packets, bytes, start, end, action = REJECT, status]',
  '{ $.readOnly IS FALSE }',
  '{ $.errorMessage NOT EXISTS }',
  '{ $.additionalEventData.LoginTo = "https://console.aws.amazon.com/*" }',
  '{ $.resources[0].type = "AWS::S3::Object" }',
  '{ $.tlsDetails.tlsVersion = "TLSv1" || $.tlsDetails.tlsVersion = "TLSv1.1" }',
  '{ $.userAgent = "*Boto3*" }',
  '{ ($.eventSource = "iam.amazonaws.com") && ($.eventName = "CreateAccessKey") }',
];

/** Regex filters people write for the checks (issue 11's examples first: each covers its check exactly). */
const REGEXES = [
  '{ $.eventName = %Vpc% }',
  '{ $.eventName = %Trail$% || $.eventName = %Logging$% }',
  '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = %^DisableKey$|^ScheduleKeyDeletion$%) }',
  '{ $.eventSource = "ec2.amazonaws.com" && $.eventName = %SecurityGroup[IE]% }',
  '{ $.errorCode = %Unauthorized% || $.errorCode = %^AccessDenied% }',
];

/** Wildcard filters: broader or narrower than the references, by a family of names. */
const WILDCARDS = [
  '{ $.eventName = "*Vpc*" }',
  '{ $.eventName = "*SecurityGroup*" }',
  '{ $.eventName = "*NetworkAcl*" }',
  '{ $.eventName = "*Gateway" || $.eventName = "*Gateway*" }',
  '{ $.eventName = "*Route*" }',
  '{ $.eventSource = "iam.amazonaws.com" && $.eventName = "*Policy*" }',
  '{ $.eventSource = "s3.amazonaws.com" && ($.eventName = "PutBucket*" || $.eventName = "DeleteBucket*") }',
  '{ $.errorCode = "*Unauthorized*" || $.errorCode = "AccessDenied*" }',
  '{ $.eventName = "*Trail" || $.eventName = "*Logging" }',
  '{ $.eventSource = "organizations.amazonaws.com" && $.eventName = * }',
];

/** Numbers compared with text: number conditions on fields the references test as text, and text conditions on numbers. */
const NUMBERS_AND_TEXT = [
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" && ($.x > 5 || $.x <= 5 || $.x NOT EXISTS) }',
  '{ $.errorCode = %^[0-9]% || $.errorCode > 5 }',
  '{ $.requestParameters.maxResults = %^[0-9]+$% || $.requestParameters.maxResults >= 100 }',
  '{ $.eventVersion = 1.09 || $.eventVersion = %^1[.]0[0-9]$% }',
  '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" && $.responseElements.count != 0 }',
  '{ $.requestParameters.ipPermissions.items[0].fromPort <= 22 && $.eventName = "AuthorizeSecurityGroupIngress" }',
  '{ $.userIdentity.type = "Root" && $.eventType != 5 }',
];

/** One anchored regex of a reference's event names, where it has two or more (and fits CloudWatch's 1,024 characters). */
function namesAsRegex(reference: string): string | undefined {
  const names = eventNamesOf(reference);
  if (names.length < 2) return undefined;
  const text = `{ $.eventName = %${names.map((name) => `^${name}$`).join('|')}% }`;
  return text.length <= 1024 ? text : undefined;
}

/** `count` filters as a busy log group holds them, deterministic: a few of each family in turn. */
export function busyLogGroupFilters(benchmark: BenchmarkId, count = 100): string[] {
  const references = controlsFor(benchmark).map((c) => c.referencePattern);
  const families: string[][] = [
    references,
    Object.values(REFORMATTED_PATTERNS_V4),
    (Object.keys(EVENT_NAMES) as (keyof typeof EVENT_NAMES)[]).map((check) => patternMissing(check, [EVENT_NAMES[check][0]])),
    references.map((p) => `{ (${inner(p)}) && $.awsRegion = "us-east-1" }`),
    references.map((p, i) => `{ (${inner(p)}) || ($.eventName = "Extra${i}") }`),
    [...REGEXES, ...references.map(namesAsRegex).filter((text): text is string => text !== undefined)],
    WILDCARDS,
    NUMBERS_AND_TEXT,
    UNRELATED,
  ];
  const filters: string[] = [];
  const longest = Math.max(...families.map((family) => family.length));
  for (let round = 0; filters.length < count; round += 1) {
    for (let index = 0; index < longest && filters.length < count; index += 1) {
      for (const family of families) {
        const pattern = family[index];
        if (pattern === undefined || filters.length >= count) continue;
        // Later rounds add a harmless distinct alternative so no two filters are the same text.
        filters.push(round === 0 ? pattern : pattern.startsWith('{') ? `{ (${inner(pattern)}) || $.eventID = "r${round}-${filters.length}" }` : pattern);
      }
    }
  }
  return filters;
}

/** What kinds of values a filter compares with: regexes, wildcards, numbers (a filter can count in several). */
export function filterKinds(filters: readonly string[]): { readonly regex: number; readonly wildcard: number; readonly number: number } {
  const kinds = { regex: 0, wildcard: 0, number: 0 };
  for (const text of filters) {
    let pattern: Pattern;
    try {
      pattern = parsePattern(text);
    } catch {
      continue;
    }
    if (pattern.kind !== 'json') continue;
    const found = new Set<keyof typeof kinds>();
    const visit = (expression: JsonExpression): void => {
      if (expression.kind === 'and' || expression.kind === 'or') return expression.operands.forEach(visit);
      if (expression.kind !== 'comparison') return;
      if (expression.value.kind === 'regex') found.add('regex');
      else if (expression.value.kind === 'number') found.add('number');
      else if (expression.value.pieces.length > 1) found.add('wildcard');
    };
    visit(pattern.body);
    for (const kind of found) kinds[kind] += 1;
  }
  return kinds;
}

export interface CoverageTiming {
  readonly checks: number;
  readonly filters: number;
  readonly decisions: number;
  readonly covered: number;
  readonly notCovered: number;
  readonly undetermined: number;
  /** Filters the parser refused (they count as decided: nothing to compare). */
  readonly unparsable: number;
  /** Filters comparing with a regex, a wildcard, a number. */
  readonly kinds: ReturnType<typeof filterKinds>;
  readonly elapsedMs: number;
}

/** Parses the filters and references once, then decides every check against every filter. */
export function timeCoverageDecisions(benchmark: BenchmarkId, filterCount = 100): CoverageTiming {
  const texts = busyLogGroupFilters(benchmark, filterCount);
  const started = performance.now();
  const references = controlsFor(benchmark).map((c) => parsePattern(c.referencePattern));
  const filters: Pattern[] = [];
  let unparsable = 0;
  for (const text of texts) {
    try {
      filters.push(parsePattern(text));
    } catch {
      unparsable += 1;
    }
  }
  let covered = 0;
  let notCovered = 0;
  let undetermined = 0;
  for (const reference of references) {
    for (const filter of filters) {
      const result = covers(filter, reference);
      if (result.verdict === 'covered') covered += 1;
      else if (result.verdict === 'not-covered') notCovered += 1;
      else undetermined += 1;
    }
  }
  const elapsedMs = performance.now() - started;
  return {
    checks: references.length,
    filters: texts.length,
    decisions: references.length * filters.length,
    covered,
    notCovered,
    undetermined,
    unparsable,
    kinds: filterKinds(texts),
    elapsedMs,
  };
}

export interface WorstDecision {
  /** Decisions timed: every hostile filter against every accepted reference of every check. */
  readonly decisions: number;
  readonly cpuMs: number;
  readonly steps: number;
  readonly limit: number;
  readonly what: string;
  readonly verdict: string;
}

/**
 * The most CPU one coverage decision takes: each hostile filter (scripts/bench/hostile-patterns)
 * against each check's accepted references, every decision from scratch (what earlier ones
 * cached forgotten), timed in CPU of this process (what the budget is meant to bound).
 */
export function timeWorstCoverageDecision(benchmark: BenchmarkId): WorstDecision {
  const controls = controlsFor(benchmark);
  let worst: WorstDecision = { decisions: 0, cpuMs: 0, steps: 0, limit: COVERAGE_STEPS, what: '', verdict: '' };
  let decisions = 0;
  for (const hostile of hostileFilters(benchmark)) {
    const candidate = parsePattern(hostile.pattern);
    for (const control of controls) {
      for (const reference of control.acceptedPatterns) {
        forgetCoverageCaches();
        const work = new Work(COVERAGE_STEPS);
        const started = process.cpuUsage();
        let verdict: string;
        try {
          verdict = decideCoverage(candidate, reference, work).verdict;
        } catch (error) {
          if (!(error instanceof WorkLimitExceeded)) throw error;
          verdict = 'cannot verify (work limit)';
        }
        const used = process.cpuUsage(started);
        decisions += 1;
        const cpuMs = (used.user + used.system) / 1000;
        if (cpuMs > worst.cpuMs) {
          worst = { decisions, cpuMs, steps: work.spent, limit: COVERAGE_STEPS, what: `${hostile.check}'s reference narrowed by ${hostile.name}, against ${control.check}`, verdict };
        }
      }
    }
  }
  return { ...worst, decisions };
}
