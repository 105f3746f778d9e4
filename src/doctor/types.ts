/** The doctor's data: where a deployment's parts are, what was read about them, what is wrong. */
import type { ReadErrorCode } from '../collect/inventory';
import type { RunRecord } from '../notify/run-record';

export type { RunRecord };

/** Something read from AWS, or why it could not be. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: ReadErrorCode; readonly message: string };

/** A part that is there only when switched on, and how to find it. */
export interface OptionalPart {
  /** What it is for a person: "the remediation alert topic". */
  readonly name: string;
  readonly kind: 'sns-topic' | 'eventbridge-rule' | 'sqs-queue';
  /** Topic ARN, rule name or queue URL. */
  readonly id: string;
  /** A rule's bus, when not the default one. */
  readonly eventBusName?: string;
  /** The setting that switched it on, for the advice: "REMEDIATION_ALERT_TOPIC_ARN". */
  readonly setting: string;
}

/** Where a deployment's parts are: from the function's own environment, or the stack's outputs and the function's configuration. */
export interface Deployment {
  /** How the names were learned, for the report: "the function's environment", "stack 'trailwatch-prod' (us-east-1)". */
  readonly source: string;
  /** The region of the stack: the topic, bucket, schedule and StackSet calls go there. */
  readonly region: string;
  readonly functionName?: string;
  readonly findingsTopicArn?: string;
  readonly reportBucket?: string;
  readonly reportPrefix: string;
  readonly scheduleRuleName?: string;
  readonly memberRoleName: string;
  readonly externalId?: string;
  /** The StackSet that deploys the member role; its instances tell a missing role from a refusing one. */
  readonly memberStackSetName?: string;
  readonly failureQueueUrl?: string;
  readonly optionalParts: readonly OptionalPart[];
}

export interface AccountFact {
  readonly accountId: string;
  readonly name?: string;
}

export interface OrganizationFact {
  /** Whether the accounts came from Organizations ListAccounts (false: the caller's account alone). */
  readonly listed: boolean;
  readonly id?: string;
  readonly managementAccountId?: string;
  /** Active accounts. */
  readonly accounts: readonly AccountFact[];
  /** Listed but not active (suspended, closed). */
  readonly inactive: readonly AccountFact[];
  /** Why it was not listed, when it was not. */
  readonly notes: readonly string[];
}

/** AssumeRole of the member role in one account: fine, or refused with the code and AWS's message. */
export interface MemberRoleFact {
  readonly accountId: string;
  readonly name?: string;
  readonly outcome: { readonly ok: true } | { readonly ok: false; readonly code: ReadErrorCode; readonly message: string };
}

/** One instance of the member role's StackSet. */
export interface StackInstanceFact {
  readonly accountId: string;
  readonly region: string;
  /** CURRENT, OUTDATED, INOPERABLE. */
  readonly status: string;
  readonly statusReason?: string;
  /** SUCCEEDED, FAILED, ... (the detailed status) when given. */
  readonly detailedStatus?: string;
}

export interface StackInstancesFact {
  /** How the StackSet was found: SELF, or DELEGATED_ADMIN from a delegated administrator account. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
  readonly instances: readonly StackInstanceFact[];
}

export interface SubscriptionFact {
  readonly protocol: string;
  /** Redacted: the kind of endpoint, never the address. */
  readonly endpoint: string;
  readonly confirmed: boolean;
}

export interface TopicFact {
  readonly subscriptions: readonly SubscriptionFact[];
}

export interface ScheduleFact {
  readonly state: string;
  readonly expression?: string;
}

export interface DoctorFacts {
  readonly checkedAt: string;
  readonly deployment: Deployment;
  /** Who the checks ran as. */
  readonly caller: Read<{ readonly accountId: string; readonly arn: string }>;
  /** 'scanner': inside the scan function; 'caller': from a terminal, with the caller's own credentials. */
  readonly perspective: 'scanner' | 'caller';
  readonly organization: Read<OrganizationFact>;
  readonly memberRoles: readonly MemberRoleFact[];
  /** Absent when no member role failed (nothing to explain) or no StackSet name is known. */
  readonly stackInstances?: Read<StackInstancesFact>;
  readonly topic?: Read<TopicFact>;
  readonly schedule?: Read<ScheduleFact>;
  /** The last scheduled run's record; ok with undefined when there is none yet. */
  readonly lastScheduledRun?: Read<RunRecord | undefined>;
  /** Messages waiting in the failure queue (invocations that failed after their retries). */
  readonly failureQueue?: Read<{ readonly messages: number }>;
  readonly optionalParts: readonly { readonly part: OptionalPart; readonly exists: Read<boolean> }[];
  /** The function's timeout, to tell a run still going from one that never finished. Default 900 s. */
  readonly functionTimeoutSeconds?: number;
}

export const DoctorArea = {
  DEPLOYMENT: 'deployment',
  ORGANIZATION: 'organization',
  MEMBER_ROLE: 'member role',
  TOPIC: 'findings topic',
  SCHEDULE: 'schedule',
  LAST_SCAN: 'last scheduled scan',
  FAILURE_QUEUE: 'failure queue',
  OPTIONAL: 'optional parts',
} as const;
export type DoctorAreaValue = (typeof DoctorArea)[keyof typeof DoctorArea];

/** Something wrong, and what to do about it. */
export interface DoctorProblem {
  readonly area: DoctorAreaValue;
  /** One sentence: what is wrong. */
  readonly summary: string;
  /** The accounts it concerns, when it is about member accounts. */
  readonly accounts?: readonly string[];
  /** What to do, in words. */
  readonly todo: string;
  /** Commands that do it or show more, with <placeholders> for what only a person knows. */
  readonly commands?: readonly string[];
}

/** Something checked and found fine. */
export interface DoctorCheck {
  readonly area: DoctorAreaValue;
  readonly text: string;
}

export interface DoctorReport {
  readonly healthy: boolean;
  readonly checkedAt: string;
  readonly perspective: DoctorFacts['perspective'];
  /** The principal the checks ran as, when known. */
  readonly principal?: string;
  /** Where the deployment's names came from. */
  readonly source: string;
  readonly checks: readonly DoctorCheck[];
  readonly problems: readonly DoctorProblem[];
  /** Worth knowing, not wrong: no scheduled scan yet, a cron schedule whose staleness is not judged. */
  readonly notes: readonly string[];
}
