/**
 * The scan Lambda's two inputs, validated: its environment (read once, at cold start) and the
 * payload of one invocation (the scheduled event, or a manual payload that narrows the scan).
 * Every wrong field is named; unknown payload fields are refused, so a typo never scans more.
 */
import { z } from 'zod';
import { FRAMEWORK_IDS, frameworkFrom, resolveBenchmark } from '../controls';
import { CHECK_SLUGS, DEFAULT_BENCHMARK, type BenchmarkId, type CheckSlug } from '../controls/types';
import { NOTIFICATION_LEVELS, NOTIFY_WHEN_VALUES, type NotifySettings } from '../notify/types';
import { parseAlertSubscription } from '../remediate/options';
import { DEFAULT_APPROVAL_HOURS, PLAN_ID } from '../remediate/approval';
import { SECRET_ARN } from '../remediate/approval-link';
import { REMEDIATE_MODES, type RemediationSettings } from '../remediate/step';
import { ConfigurationError, PayloadError, type FieldIssue } from './errors';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** bucket/key of an S3 object. */
const S3_OBJECT = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.{1,1024}$/;
/** A fully qualified SSM parameter name. */
const SSM_PARAMETER = /^(?:\/[\w.-]+)+$/;

const quoted = (input: unknown): string => (typeof input === 'string' ? `'${input}'` : JSON.stringify(input) ?? String(input));

const benchmark = z.string().transform((text, ctx): BenchmarkId => {
  try {
    return resolveBenchmark(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const check = z.enum(CHECK_SLUGS, { error: (issue) => `${quoted(issue.input)} is not a check (one of ${CHECK_SLUGS.join(', ')})` });
const accountId = z.string({ error: (issue) => `${quoted(issue.input)} is not an account ID` }).regex(ACCOUNT_ID, {
  error: (issue) => `${quoted(issue.input)} is not a 12-digit account ID`,
});
const region = z.string({ error: (issue) => `${quoted(issue.input)} is not a region name` }).regex(REGION, {
  error: (issue) => `${quoted(issue.input)} is not a region name (e.g. eu-west-1)`,
});
const ou = z.string().regex(/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, {
  error: (issue) => `${quoted(issue.input)} is not an organizational unit or root ID (ou-xxxx-xxxxxxxx, r-xxxx)`,
});

/** A non-empty list without repeats. */
function listOf<T extends z.ZodType>(item: T, what: string) {
  return z
    .array(item, { error: (issue) => `expected a list of ${what}, got ${quoted(issue.input)}` })
    .min(1, { error: `an empty list would scan no ${what}; leave the field out to scan them all` })
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `${quoted(item)} is listed twice` });
        seen.add(key);
      });
    });
}

/** "a, b,c" in an environment variable, as a list. */
function commaList<T extends z.ZodType<unknown, string>>(item: T, what: string) {
  return z
    .string()
    .transform((text) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
    .pipe(listOf(item, what));
}

// ---------------------------------------------------------------------------------------------
// Payload

export const PAYLOAD_FIELDS = ['benchmark', 'checks', 'accounts', 'regions', 'notify', 'readEveryAccount', 'doctor', 'approve', 'reject'] as const;

const planId = z.string({ error: (issue) => `${quoted(issue.input)} is not a plan id` }).regex(PLAN_ID, {
  error: (issue) => `${quoted(issue.input)} is not a plan id (p-<yyyymmddThhmmssZ>-<12 hex digits>, as the findings email gives it)`,
});

const payloadSchema = z.strictObject(
  {
    benchmark: benchmark.optional(),
    checks: listOf(check, 'checks').optional(),
    accounts: listOf(accountId, 'accounts').optional(),
    regions: listOf(region, 'regions').optional(),
    notify: z.boolean({ error: (issue) => `expected true or false, got ${quoted(issue.input)}` }).optional(),
    readEveryAccount: z.boolean({ error: (issue) => `expected true or false, got ${quoted(issue.input)}` }).optional(),
    // `trailwatch doctor`: check the deployment, scan nothing; alone, so a typo never scans.
    doctor: z.literal(true, { error: (issue) => `expected true, got ${quoted(issue.input)}` }).optional(),
    // REMEDIATE=approve: decide a kept plan instead of scanning.
    approve: planId.optional(),
    reject: planId.optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? `expected an object with ${PAYLOAD_FIELDS.join(', ')}` : undefined) },
).superRefine((payload, ctx) => {
  const decision = payload.approve !== undefined ? 'approve' : payload.reject !== undefined ? 'reject' : undefined;
  if (!decision) return;
  for (const field of PAYLOAD_FIELDS) {
    if (field !== decision && field !== 'notify' && payload[field] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `'${decision}' decides a kept plan and scans what the plan says: leave '${field}' out` });
    }
  }
});

/** What one invocation asks for; all optional: an empty payload scans everything the environment says. */
export interface ScanPayload {
  readonly benchmark?: BenchmarkId;
  readonly checks?: CheckSlug[];
  readonly accounts?: string[];
  readonly regions?: string[];
  /** false: scan, return the summary, publish nothing. */
  readonly notify?: boolean;
  /** true: read every member, even those the organization trail settles (as the CLI's --read-every-account): each is reported from its own inventory, and costs its calls. */
  readonly readEveryAccount?: boolean;
  /** true: check the deployment (trailwatch doctor) instead of scanning; no other field. */
  readonly doctor?: true;
  /** REMEDIATE=approve: approve (apply once) or reject the kept plan with this id; nothing else is scanned. */
  readonly approve?: string;
  readonly reject?: string;
}

/** What started this invocation. */
export type Trigger = { readonly kind: 'schedule'; readonly time?: string } | { readonly kind: 'manual' };

function isEventBridgeEvent(event: unknown): event is { 'detail-type': string; source: string; time?: string } {
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof (event as Record<string, unknown>)['detail-type'] === 'string' &&
    typeof (event as Record<string, unknown>).source === 'string'
  );
}

/**
 * The scheduled EventBridge event scans everything; any other event is a manual payload.
 * Throws PayloadError naming every wrong field.
 */
export function parseScanEvent(event: unknown): { payload: ScanPayload; trigger: Trigger } {
  if (isEventBridgeEvent(event)) {
    // A scan narrowed by hand inside an event-shaped object would otherwise scan everything.
    const narrowing = PAYLOAD_FIELDS.filter((field) => Object.hasOwn(event, field));
    if (narrowing.length > 0) {
      throw new PayloadError(
        narrowing.map((field) => ({ field, message: 'an EventBridge event (detail-type, source) scans everything: send a payload without detail-type and source to narrow the scan' })),
      );
    }
    return { payload: {}, trigger: { kind: 'schedule', ...(typeof event.time === 'string' ? { time: event.time } : {}) } };
  }
  const parsed = payloadSchema.safeParse(event ?? {});
  if (!parsed.success) throw new PayloadError(fieldIssues(parsed.error, PAYLOAD_FIELDS));
  const payload = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as ScanPayload;
  const others = Object.keys(payload).filter((field) => field !== 'doctor');
  if (payload.doctor && others.length > 0) {
    throw new PayloadError(others.map((field) => ({ field, message: 'the doctor checks the deployment and scans nothing: send {"doctor": true} alone' })));
  }
  return { payload, trigger: { kind: 'manual' } };
}

// ---------------------------------------------------------------------------------------------
// Environment

/**
 * Accounts collected at once when SCAN_CONCURRENCY is not set, for the 1,024 MB function. Each
 * account's API limits are its own, so the bound is the function, not AWS: its CPU (1,024 MB is
 * 0.58 of a vCPU) spends about 3.3 ms per call (the bench's measure), so at most ~175 calls a
 * second, and at 100 ms a call an account keeps a little over one call in flight (the bench's
 * efficiency at 100 ms: 0.95). 16 accounts reach ~160 calls a second, just under that ceiling:
 * 10,000 accounts read in 17 regions (6.5 calls each) project to 10,000 x 6.5 x 0.1 s / (16 x
 * 0.95) = 7.2 min, where 10 took 11.5; more would only queue on the CPU. Members the organization
 * trail settles cost no call at all, whatever this is.
 */
export const DEFAULT_SCAN_CONCURRENCY = 16;

export const ENVIRONMENT_VARIABLES = [
  'FINDINGS_TOPIC_ARN',
  'REPORT_BUCKET',
  'REPORT_PREFIX',
  'NOTIFY',
  'NOTIFICATION_LEVEL',
  'BENCHMARK',
  'CHECKS',
  'REGIONS',
  'EXCLUDE_ACCOUNTS',
  'OUS',
  'MEMBER_ROLE_NAME',
  'EXTERNAL_ID',
  'SCAN_CONCURRENCY',
  'DEADLINE_MARGIN_SECONDS',
  'HOME_REGION',
  'AWS_REGION',
  'AWS_ENDPOINT_URL',
  'REMEDIATE',
  'REMEDIATION_ALERT_ENDPOINT',
  'REMEDIATION_ALERT_TOPIC_ARN',
  'REMEDIATION_MAX_CHANGES',
  'REMEDIATION_FIX_ALARMS',
  'REMEDIATION_APPROVAL_HOURS',
  'APPROVAL_LINK_SECRET_ARN',
  'APPROVAL_LINK_URL',
  'SCHEDULE_RULE_NAME',
  'MEMBER_STACK_SET_NAME',
  'FAILURE_QUEUE_URL',
  'WATCH_RULE_NAME',
  'WATCH_BUS_NAME',
  'WATCH_QUEUE_URL',
  'EXCEPTIONS_S3_OBJECT',
  'EXCEPTIONS_SSM_PARAMETER',
  'SECURITY_HUB',
  'STRICT_PATTERNS',
  'FRAMEWORK',
  'CHAT_TOPIC_ARN',
] as const;

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => `${quoted(issue.input)} is not one of ${values.join(', ')}` });

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: (issue) => `${quoted(issue.input)} is not a whole number` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const environmentSchema = z.object({
  FINDINGS_TOPIC_ARN: z
    .string({ error: 'required: the ARN of the findings topic' })
    .regex(TOPIC_ARN, { error: (issue) => `${quoted(issue.input)} is not an SNS topic ARN` }),
  REPORT_BUCKET: z
    .string()
    .regex(BUCKET, { error: (issue) => `${quoted(issue.input)} is not an S3 bucket name` })
    .optional(),
  REPORT_PREFIX: z.string().optional(),
  NOTIFY: oneOf(NOTIFY_WHEN_VALUES as unknown as readonly ['always', 'on-fail', 'on-change']).default('on-fail'),
  NOTIFICATION_LEVEL: oneOf(NOTIFICATION_LEVELS as unknown as readonly ['verbose', 'info', 'error']).default('info'),
  BENCHMARK: benchmark.default(DEFAULT_BENCHMARK),
  CHECKS: commaList(check, 'checks').optional(),
  REGIONS: commaList(region, 'regions').optional(),
  EXCLUDE_ACCOUNTS: commaList(accountId, 'accounts').optional(),
  OUS: commaList(ou, 'organizational units').optional(),
  MEMBER_ROLE_NAME: z
    .string({ error: 'required: the name of the role trailwatch assumes in member accounts' })
    .regex(ROLE_NAME, { error: (issue) => `${quoted(issue.input)} is not an IAM role name` }),
  EXTERNAL_ID: z
    .string()
    .regex(EXTERNAL_ID, { error: 'must be 2 to 1224 letters, digits or +=,.@:/-' })
    .optional(),
  SCAN_CONCURRENCY: integer(1, 200).default(DEFAULT_SCAN_CONCURRENCY),
  DEADLINE_MARGIN_SECONDS: integer(5, 600).default(60),
  HOME_REGION: region.optional(),
  AWS_REGION: region.optional(),
  AWS_ENDPOINT_URL: z.url({ error: (issue) => `${quoted(issue.input)} is not a URL` }).optional(),
  REMEDIATE: oneOf(REMEDIATE_MODES).default('off'),
  REMEDIATION_ALERT_ENDPOINT: z
    .string()
    .transform((text, ctx) => {
      try {
        return parseAlertSubscription(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  REMEDIATION_ALERT_TOPIC_ARN: z
    .string()
    .regex(TOPIC_ARN, { error: (issue) => `${quoted(issue.input)} is not an SNS topic ARN` })
    .optional(),
  REMEDIATION_MAX_CHANGES: integer(1, 10000).default(100),
  REMEDIATION_FIX_ALARMS: oneOf(['true', 'false']).default('false'),
  REMEDIATION_APPROVAL_HOURS: integer(1, 720).default(DEFAULT_APPROVAL_HOURS),
  // approvalLink=true: the secret that signs approval links, and (the scan function's) the link function's URL.
  APPROVAL_LINK_SECRET_ARN: z
    .string()
    .regex(SECRET_ARN, { error: (issue) => `${quoted(issue.input)} is not a Secrets Manager secret ARN` })
    .optional(),
  APPROVAL_LINK_URL: z
    .url({ protocol: /^https?$/, error: (issue) => `${quoted(issue.input)} is not an http(s) URL` })
    .optional(),
  // Where the deployment's other parts are, for the doctor.
  SCHEDULE_RULE_NAME: z.string().regex(/^[\w.-]{1,64}$/, { error: (issue) => `${quoted(issue.input)} is not an EventBridge rule name` }).optional(),
  MEMBER_STACK_SET_NAME: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, { error: (issue) => `${quoted(issue.input)} is not a StackSet name` }).optional(),
  FAILURE_QUEUE_URL: z.url({ error: (issue) => `${quoted(issue.input)} is not an SQS queue URL` }).optional(),
  // The watch's parts (set only with the watch on), for the doctor.
  WATCH_RULE_NAME: z.string().regex(/^[\w.-]{1,64}$/, { error: (issue) => `${quoted(issue.input)} is not an EventBridge rule name` }).optional(),
  WATCH_BUS_NAME: z.string().regex(/^[\w.-]{1,256}$/, { error: (issue) => `${quoted(issue.input)} is not an EventBridge bus name` }).optional(),
  WATCH_QUEUE_URL: z.url({ error: (issue) => `${quoted(issue.input)} is not an SQS queue URL` }).optional(),
  EXCEPTIONS_S3_OBJECT: z
    .string()
    .regex(S3_OBJECT, { error: (issue) => `${quoted(issue.input)} is not bucket/key (e.g. my-bucket/trailwatch/exceptions.yml)` })
    .optional(),
  EXCEPTIONS_SSM_PARAMETER: z
    .string()
    .regex(SSM_PARAMETER, { error: (issue) => `${quoted(issue.input)} is not an SSM parameter name starting with / (e.g. /trailwatch/exceptions)` })
    .optional(),
  SECURITY_HUB: oneOf(['true', 'false']).default('false'),
  STRICT_PATTERNS: oneOf(['true', 'false']).default('false'),
  FRAMEWORK: z
    .string()
    .transform((text, ctx) => frameworkFrom(text) ?? (ctx.addIssue({ code: 'custom', message: `${quoted(text)} is not a framework (one of ${FRAMEWORK_IDS.join(', ')})` }), z.NEVER))
    .optional(),
  CHAT_TOPIC_ARN: z
    .string()
    .regex(TOPIC_ARN, { error: (issue) => `${quoted(issue.input)} is not an SNS topic ARN` })
    .optional(),
});

/** The function's configuration, from its environment. */
export interface LambdaSettings {
  readonly benchmark: BenchmarkId;
  readonly checks?: CheckSlug[];
  readonly regions?: string[];
  readonly excludeAccounts?: string[];
  readonly ous?: string[];
  readonly roleName: string;
  readonly externalId?: string;
  readonly concurrency: number;
  /** Stop starting accounts this long before the Lambda's own deadline, to publish in time. */
  readonly deadlineMarginMs: number;
  readonly homeRegion: string;
  /** An AWS emulator for tests; AWS itself when absent. */
  readonly endpointUrl?: string;
  readonly notify: NotifySettings;
  /** REMEDIATE=plan|apply|approve and how: who the alert topic notifies, the bound per run; absent when REMEDIATE=off. */
  readonly remediation?: RemediationSettings;
  /** Where the deployment's other parts are (trailwatch doctor); absent names are not checked. */
  readonly deployment?: {
    readonly scheduleRuleName?: string;
    readonly memberStackSetName?: string;
    readonly failureQueueUrl?: string;
    /** The watch's rule on its bus, and its queue (README "Continuous watch"). */
    readonly watch?: { readonly ruleName: string; readonly busName: string; readonly queueUrl?: string };
  };
  /** Where the exceptions file is (read at every invocation); none when absent. */
  readonly exceptions?: ExceptionsLocation;
  /** SECURITY_HUB=true: import the findings into Security Hub in this account and the home region. */
  readonly securityHub?: boolean;
  /** STRICT_PATTERNS=true: decide filters on the reference patterns' text alone, without CloudTrail knowledge. */
  readonly strictPatterns?: boolean;
}

/** An exceptions file in S3 (EXCEPTIONS_S3_OBJECT) or in an SSM parameter (EXCEPTIONS_SSM_PARAMETER). */
export type ExceptionsLocation =
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'ssm'; readonly name: string };

/** Reads the environment; throws ConfigurationError naming every wrong variable. */
export function loadLambdaSettings(env: Readonly<Record<string, string | undefined>>): LambdaSettings {
  // An empty variable is an unset one (serverless writes '' for an empty parameter).
  const present = Object.fromEntries(
    ENVIRONMENT_VARIABLES.map((name) => [name, env[name]?.trim()] as const).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) throw new ConfigurationError(fieldIssues(parsed.error, []));
  const e = parsed.data;
  const homeRegion = e.HOME_REGION ?? e.AWS_REGION;
  if (!homeRegion) throw new ConfigurationError([{ field: 'HOME_REGION', message: 'required when AWS_REGION is not set' }]);
  if ((e.REMEDIATE === 'apply' || e.REMEDIATE === 'approve') && !e.REMEDIATION_ALERT_ENDPOINT && !e.REMEDIATION_ALERT_TOPIC_ARN) {
    throw new ConfigurationError([
      {
        field: 'REMEDIATION_ALERT_ENDPOINT',
        message: `REMEDIATE=${e.REMEDIATE} needs it (or REMEDIATION_ALERT_TOPIC_ARN): an alert topic nobody is subscribed to makes no check pass`,
      },
    ]);
  }
  if (e.REMEDIATE === 'approve' && !e.REPORT_BUCKET) {
    throw new ConfigurationError([{ field: 'REPORT_BUCKET', message: 'REMEDIATE=approve keeps each plan in the report bucket until it is approved: set it' }]);
  }
  if ((e.APPROVAL_LINK_SECRET_ARN || e.APPROVAL_LINK_URL) && e.REMEDIATE !== 'approve') {
    throw new ConfigurationError([
      { field: e.APPROVAL_LINK_SECRET_ARN ? 'APPROVAL_LINK_SECRET_ARN' : 'APPROVAL_LINK_URL', message: `approval links are for REMEDIATE=approve (this function has REMEDIATE=${e.REMEDIATE})` },
    ]);
  }
  if (e.APPROVAL_LINK_URL && !e.APPROVAL_LINK_SECRET_ARN) {
    throw new ConfigurationError([{ field: 'APPROVAL_LINK_SECRET_ARN', message: 'APPROVAL_LINK_URL needs it: links are signed with that secret' }]);
  }
  if (e.EXCEPTIONS_S3_OBJECT && e.EXCEPTIONS_SSM_PARAMETER) {
    throw new ConfigurationError([
      { field: 'EXCEPTIONS_SSM_PARAMETER', message: 'set EXCEPTIONS_S3_OBJECT or EXCEPTIONS_SSM_PARAMETER, not both: one file of exceptions' },
    ]);
  }
  const exceptions: ExceptionsLocation | undefined = e.EXCEPTIONS_S3_OBJECT
    ? {
        kind: 's3',
        bucket: e.EXCEPTIONS_S3_OBJECT.slice(0, e.EXCEPTIONS_S3_OBJECT.indexOf('/')),
        key: e.EXCEPTIONS_S3_OBJECT.slice(e.EXCEPTIONS_S3_OBJECT.indexOf('/') + 1),
      }
    : e.EXCEPTIONS_SSM_PARAMETER
      ? { kind: 'ssm', name: e.EXCEPTIONS_SSM_PARAMETER }
      : undefined;
  return {
    benchmark: e.BENCHMARK,
    ...(e.CHECKS ? { checks: e.CHECKS } : {}),
    ...(e.REGIONS ? { regions: e.REGIONS } : {}),
    ...(e.EXCLUDE_ACCOUNTS ? { excludeAccounts: e.EXCLUDE_ACCOUNTS } : {}),
    ...(e.OUS ? { ous: e.OUS } : {}),
    roleName: e.MEMBER_ROLE_NAME,
    ...(e.EXTERNAL_ID ? { externalId: e.EXTERNAL_ID } : {}),
    concurrency: e.SCAN_CONCURRENCY,
    deadlineMarginMs: e.DEADLINE_MARGIN_SECONDS * 1000,
    homeRegion,
    ...(e.AWS_ENDPOINT_URL ? { endpointUrl: e.AWS_ENDPOINT_URL } : {}),
    notify: {
      topicArn: e.FINDINGS_TOPIC_ARN,
      when: e.NOTIFY,
      level: e.NOTIFICATION_LEVEL,
      ...(e.REPORT_BUCKET ? { reportBucket: e.REPORT_BUCKET } : {}),
      ...(e.REPORT_PREFIX ? { reportPrefix: e.REPORT_PREFIX.endsWith('/') ? e.REPORT_PREFIX : `${e.REPORT_PREFIX}/` } : {}),
      ...(e.FRAMEWORK ? { framework: e.FRAMEWORK } : {}),
      ...(e.CHAT_TOPIC_ARN ? { chatTopicArn: e.CHAT_TOPIC_ARN } : {}),
    },
    ...(e.REMEDIATE !== 'off'
      ? {
          remediation: {
            mode: e.REMEDIATE,
            ...(e.REMEDIATION_ALERT_ENDPOINT ? { alertEndpoint: e.REMEDIATION_ALERT_ENDPOINT } : {}),
            ...(e.REMEDIATION_ALERT_TOPIC_ARN ? { alertTopicArn: e.REMEDIATION_ALERT_TOPIC_ARN } : {}),
            maxChanges: e.REMEDIATION_MAX_CHANGES,
            fixAlarms: e.REMEDIATION_FIX_ALARMS === 'true',
            ...(e.REMEDIATE === 'approve' ? { approvalHours: e.REMEDIATION_APPROVAL_HOURS } : {}),
            ...(e.APPROVAL_LINK_SECRET_ARN
              ? { approvalLink: { secretArn: e.APPROVAL_LINK_SECRET_ARN, ...(e.APPROVAL_LINK_URL ? { url: e.APPROVAL_LINK_URL } : {}) } }
              : {}),
          },
        }
      : {}),
    ...(e.SCHEDULE_RULE_NAME || e.MEMBER_STACK_SET_NAME || e.FAILURE_QUEUE_URL || e.WATCH_RULE_NAME
      ? {
          deployment: {
            ...(e.SCHEDULE_RULE_NAME ? { scheduleRuleName: e.SCHEDULE_RULE_NAME } : {}),
            ...(e.MEMBER_STACK_SET_NAME ? { memberStackSetName: e.MEMBER_STACK_SET_NAME } : {}),
            ...(e.FAILURE_QUEUE_URL ? { failureQueueUrl: e.FAILURE_QUEUE_URL } : {}),
            ...(e.WATCH_RULE_NAME && e.WATCH_BUS_NAME ? { watch: { ruleName: e.WATCH_RULE_NAME, busName: e.WATCH_BUS_NAME, ...(e.WATCH_QUEUE_URL ? { queueUrl: e.WATCH_QUEUE_URL } : {}) } } : {}),
          },
        }
      : {}),
    ...(exceptions ? { exceptions } : {}),
    ...(e.SECURITY_HUB === 'true' ? { securityHub: true } : {}),
    ...(e.STRICT_PATTERNS === 'true' ? { strictPatterns: true } : {}),
  };
}

/** zod's issues as "field: message", one per wrong field (each unknown key on its own). */
function fieldIssues(error: z.ZodError, knownFields: readonly string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ field: pathText([...issue.path, key]), message: `unknown field (expected ${knownFields.join(', ')})` });
      }
    } else {
      issues.push({ field: pathText(issue.path) || '(payload)', message: issue.message });
    }
  }
  return issues;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}
