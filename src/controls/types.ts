/** The stable check slugs; a check keeps its slug across benchmark versions, its control number changes. */
export const CHECK_SLUGS = [
  'unauthorized_api_calls',
  'console_signin_without_mfa',
  'root_usage',
  'iam_policy_changes',
  'cloudtrail_config_changes',
  'console_auth_failures',
  'cmk_disable_or_scheduled_deletion',
  's3_bucket_policy_changes',
  'aws_config_changes',
  'security_group_changes',
  'nacl_changes',
  'network_gateway_changes',
  'route_table_changes',
  'vpc_changes',
  'organizations_changes',
] as const;
export type CheckSlug = (typeof CHECK_SLUGS)[number];

export const BENCHMARK_IDS = [
  'cis-aws-v1.2.0',
  'cis-aws-v1.3.0',
  'cis-aws-v1.4.0',
  'cis-aws-v1.5.0',
  'cis-aws-v2.0.0',
  'cis-aws-v3.0.0',
  'cis-aws-v4.0.0',
  'cis-aws-v5.0.0',
  'cis-aws-v6.0.0',
  'cis-aws-v7.0.0',
] as const;
export type BenchmarkId = (typeof BENCHMARK_IDS)[number];

export const DEFAULT_BENCHMARK: BenchmarkId = 'cis-aws-v4.0.0';

/** How a benchmark version classifies a control. */
export type Assessment = 'Scored' | 'Automated' | 'Manual';
export type Level = 1 | 2;

/**
 * Where a check's events are recorded. `regional`: in the region where the call happened, so
 * every in-scope region needs a trail. `global`: only as global service events (IAM, STS, sign-in
 * and Organizations are recorded in us-east-1), which reach a trail only when it includes global
 * service events and is multi-region or homed in us-east-1. `regional-and-global`: both.
 */
export type EventScope = 'regional' | 'global' | 'regional-and-global';

/** What a check is, whatever the benchmark version: the evaluator and remediation read this. */
export interface CheckDefinition {
  readonly slug: CheckSlug;
  /** What the check watches, in a few words: "usage of the root user". */
  readonly subject: string;
  /** The metric remediation creates, and the one a person would look for first. */
  readonly metric: { readonly name: string; readonly namespace: string };
  /**
   * The management event sources its events come from; excluding one of them from a trail breaks
   * the check. `any` for checks whose events may come from every service (an exclusion then only
   * earns a warning).
   */
  readonly eventSources: 'any' | readonly string[];
  readonly eventScope: EventScope;
}

/** One benchmark version's text for a check. */
export interface ControlRecord {
  /** The control number in that version, e.g. "4.3". */
  readonly id: string;
  readonly title: string;
  readonly level: Level;
  readonly assessment: Assessment;
  /** The reference pattern trailwatch checks against: the benchmark's text, corrected where it is wrong. */
  readonly pattern: string;
  /** Further patterns the benchmark (or trailwatch, see notes) accepts; a filter passes when it covers any accepted one. */
  readonly alternatives?: readonly string[];
  /** The benchmark's own text, kept where trailwatch corrects it. */
  readonly printedPattern?: string;
  /** Shown to the user: corrections and quirks of the benchmark text. */
  readonly notes?: readonly string[];
}

/** A check as data, in the manner of a cdk-nag rule: what it is, and its control in each benchmark that has it. */
export interface CheckRecord extends CheckDefinition {
  readonly controls: Partial<Record<BenchmarkId, ControlRecord>>;
}

/** A check as one benchmark version states it: what `controlsFor` returns. */
export interface BenchmarkControl {
  readonly benchmark: BenchmarkId;
  readonly check: CheckSlug;
  /** The control number in this benchmark, e.g. "4.3". */
  readonly control: string;
  readonly title: string;
  readonly level: Level;
  readonly assessment: Assessment;
  /** The primary reference pattern (corrected where the benchmark is wrong). */
  readonly referencePattern: string;
  /**
   * Every accepted reference, the primary first: a filter passes when it covers ANY of them. Each
   * alternative narrows the primary (it adds && conditions: the SSO variant of console sign-in
   * without MFA, the parenthesised unauthorized-calls exclusions), so a filter covering the primary
   * covers them all, and "any" asks a filter to catch at least the narrowest pattern the benchmark
   * accepts. Requiring all would fail the very variant the benchmark recommends.
   */
  readonly acceptedPatterns: readonly string[];
  /** The benchmark's own text where it differs from the reference (a correction). */
  readonly printedPattern?: string;
  readonly corrected: boolean;
  readonly notes: readonly string[];
  readonly definition: CheckDefinition;
}

export interface BenchmarkInfo {
  readonly id: BenchmarkId;
  /** "4.0.0" */
  readonly version: string;
  /** The benchmark section holding the monitoring controls, e.g. "4 Monitoring". */
  readonly section: string;
}
