/**
 * The one SDK client factory: every AWS call trailwatch makes goes through a client built here,
 * so retries, endpoints, call counting and (for tests and the benchmark) injected latency or
 * faults are set in one place.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UsageError } from '../errors';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Who a call is made for and where. */
export interface CallInfo {
  readonly accountId: string;
  readonly region: string;
  /** e.g. "CloudTrail" */
  readonly service: string;
  /** e.g. "ListTrails" */
  readonly operation: string;
  /** The call's parameters (attempt hooks only: which OU a listing is for, say). */
  readonly input?: Readonly<Record<string, unknown>>;
}

/** Runs before every HTTP attempt (inside the retry loop): the benchmark adds latency, fault tests throw. */
export type AttemptHook = (info: CallInfo) => Promise<void> | void;

/** Counts logical API calls (not retries) per account and operation. */
export class CallCounter {
  private readonly byAccount = new Map<string, Map<string, number>>();
  private attemptsTotal = 0;

  record(info: CallInfo): void {
    const ops = this.byAccount.get(info.accountId) ?? new Map<string, number>();
    const key = `${info.service}:${info.operation}`;
    ops.set(key, (ops.get(key) ?? 0) + 1);
    this.byAccount.set(info.accountId, ops);
  }

  recordAttempt(): void {
    this.attemptsTotal += 1;
  }

  /** Calls made for one account, by "Service:Operation". */
  forAccount(accountId: string): Record<string, number> {
    return Object.fromEntries(this.byAccount.get(accountId) ?? []);
  }

  totalFor(accountId: string): number {
    let n = 0;
    for (const c of this.byAccount.get(accountId)?.values() ?? []) n += c;
    return n;
  }

  total(): number {
    let n = 0;
    for (const id of this.byAccount.keys()) n += this.totalFor(id);
    return n;
  }

  /** HTTP attempts, retries included. */
  attempts(): number {
    return this.attemptsTotal;
  }

  accounts(): string[] {
    return [...this.byAccount.keys()];
  }
}

export interface AwsClientOptions {
  /** Sends every call here instead of AWS (moto in tests and the demo). The SDK's AWS_ENDPOINT_URL variables apply otherwise. */
  readonly endpointUrl?: string;
  /** A named profile for the scanner's own credentials. */
  readonly profile?: string;
  /** The scanner's own credentials; the SDK's default chain when absent. */
  readonly credentials?: Credentials;
  /** Attempts per call, retries included (adaptive retry mode). */
  readonly maxAttempts?: number;
  /** Per-attempt socket timeout. */
  readonly requestTimeoutMs?: number;
  readonly callCounter?: CallCounter;
  readonly attemptHooks?: readonly AttemptHook[];
}

/** Where a client acts: an account (with its credentials) and a region. */
export interface AccountSession {
  readonly accountId: string;
  /** Absent for the scanner's own account: the factory's own credentials are used. */
  readonly credentials?: Credentials;
}

interface SdkClient {
  middlewareStack: {
    add: (middleware: never, options: { step: string; name: string; priority?: string; override?: boolean }) => void;
  };
  destroy: () => void;
}

type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

export function validateEndpointUrl(endpointUrl: string): string {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new UsageError(`--endpoint-url '${endpointUrl}' is not a URL (expected e.g. http://127.0.0.1:5000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint-url '${endpointUrl}' must be an http:// or https:// URL`);
  }
  return endpointUrl.replace(/\/+$/, '');
}

export class AwsClients {
  private readonly cache = new Map<string, SdkClient>();
  readonly callCounter: CallCounter;

  constructor(readonly options: AwsClientOptions = {}) {
    if (options.endpointUrl !== undefined) validateEndpointUrl(options.endpointUrl);
    this.callCounter = options.callCounter ?? new CallCounter();
  }

  cloudTrail(session: AccountSession, region: string): CloudTrailClient {
    return this.client(CloudTrailClient, 'CloudTrail', session, region);
  }

  cloudWatchLogs(session: AccountSession, region: string): CloudWatchLogsClient {
    return this.client(CloudWatchLogsClient, 'CloudWatchLogs', session, region);
  }

  cloudWatch(session: AccountSession, region: string): CloudWatchClient {
    return this.client(CloudWatchClient, 'CloudWatch', session, region);
  }

  sns(session: AccountSession, region: string): SNSClient {
    return this.client(SNSClient, 'SNS', session, region);
  }

  sts(session: AccountSession, region: string): STSClient {
    return this.client(STSClient, 'STS', session, region);
  }

  organizations(session: AccountSession, region = 'us-east-1'): OrganizationsClient {
    return this.client(OrganizationsClient, 'Organizations', session, region);
  }

  account(session: AccountSession, region = 'us-east-1'): AccountClient {
    return this.client(AccountClient, 'Account', session, region);
  }

  ec2(session: AccountSession, region: string): EC2Client {
    return this.client(EC2Client, 'EC2', session, region);
  }

  // The deployment's own parts, for `trailwatch doctor`.
  cloudFormation(session: AccountSession, region: string): CloudFormationClient {
    return this.client(CloudFormationClient, 'CloudFormation', session, region);
  }

  eventBridge(session: AccountSession, region: string): EventBridgeClient {
    return this.client(EventBridgeClient, 'EventBridge', session, region);
  }

  sqs(session: AccountSession, region: string): SQSClient {
    return this.client(SQSClient, 'SQS', session, region);
  }

  lambda(session: AccountSession, region: string): LambdaClient {
    return this.client(LambdaClient, 'Lambda', session, region);
  }

  kms(session: AccountSession, region: string): KMSClient {
    return this.client(KMSClient, 'KMS', session, region);
  }

  s3(session: AccountSession, region: string): S3Client {
    // A bucket in another region (--history s3://...) answers with a redirect the client follows.
    return this.client(S3Client, 'S3', session, region, { forcePathStyle: this.options.endpointUrl !== undefined, followRegionRedirects: true });
  }

  securityHub(session: AccountSession, region: string): SecurityHubClient {
    return this.client(SecurityHubClient, 'SecurityHub', session, region);
  }

  ssm(session: AccountSession, region: string): SSMClient {
    return this.client(SSMClient, 'SSM', session, region);
  }

  // The approval link's signing secret (approvalLink=true).
  secretsManager(session: AccountSession, region: string): SecretsManagerClient {
    return this.client(SecretsManagerClient, 'SecretsManager', session, region);
  }

  /**
   * Closes and forgets the clients made for one account. A scan calls it when it is done with an
   * account: each client holds ~20 KB and its sockets, and an organization has thousands of
   * accounts. A later call for the account makes new ones.
   */
  releaseAccount(accountId: string): void {
    for (const [key, client] of this.cache) {
      if (key.split('|')[1] !== accountId) continue;
      client.destroy();
      this.cache.delete(key);
    }
  }

  /** Closes every client's sockets. */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }

  private client<C extends object>(
    Ctor: ClientConstructor<C>,
    service: string,
    session: AccountSession,
    region: string,
    extra: Record<string, unknown> = {},
  ): C {
    const key = `${service}|${session.accountId}|${region}|${session.credentials ? 'assumed' : 'own'}`;
    const cached = this.cache.get(key);
    if (cached) return cached as unknown as C;

    const { endpointUrl, profile, maxAttempts, requestTimeoutMs } = this.options;
    const config: Record<string, unknown> = {
      region,
      retryMode: 'adaptive',
      maxAttempts: maxAttempts ?? 6,
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      ...(requestTimeoutMs ? { requestHandler: { requestTimeout: requestTimeoutMs, connectionTimeout: requestTimeoutMs } } : {}),
      ...extra,
    };
    const credentials = session.credentials ?? this.options.credentials;
    if (credentials) config.credentials = credentials;
    else if (profile) config.profile = profile;

    const client = new Ctor(config) as unknown as SdkClient;
    this.instrument(client, service, session.accountId, region);
    this.cache.set(key, client);
    return client as unknown as C;
  }

  private instrument(client: SdkClient, service: string, accountId: string, region: string): void {
    const counter = this.callCounter;
    const hooks = this.options.attemptHooks ?? [];
    const infoOf = (context: { commandName?: string }): CallInfo => ({
      accountId,
      region,
      service,
      operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
    });
    const countCall = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      counter.record(infoOf(context));
      return next(args);
    };
    // Inside the retry middleware, so it runs once per HTTP attempt.
    const perAttempt = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      counter.recordAttempt();
      const input = (args as { input?: Record<string, unknown> } | undefined)?.input;
      for (const hook of hooks) await hook({ ...infoOf(context), ...(input ? { input } : {}) });
      return next(args);
    };
    client.middlewareStack.add(countCall as never, { step: 'initialize', name: 'trailwatchCallCounter', override: true });
    client.middlewareStack.add(perAttempt as never, {
      step: 'finalizeRequest',
      priority: 'low',
      name: 'trailwatchAttemptHooks',
      override: true,
    });
  }
}
