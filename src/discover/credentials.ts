/**
 * Credentials per account: the scanner's own account uses its own credentials, every other
 * account STS AssumeRole into `arn:aws:iam::<id>:role/<roleName>`, cached until shortly
 * before they expire. The AssumeRole call is counted under the target account.
 */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AccountSession, AwsClients } from '../aws/clients';
import { describeError, readErrorCode } from '../collect/read-errors';
import { AccountAccessError } from './errors';

/** The session name every AssumeRole uses, so CloudTrail shows who read. */
export const ROLE_SESSION_NAME = 'trailwatch';

export interface AccountCredentialsOptions {
  /** The account whose credentials the scanner runs with (from GetCallerIdentity). */
  readonly callerAccountId: string;
  readonly roleName: string;
  readonly externalId?: string;
  /** Where STS is called. */
  readonly region: string;
  readonly partition?: string;
  /** Requested session length; the role's maximum applies. Default one hour. */
  readonly durationSeconds?: number;
  /** Credentials this close to expiry are renewed. Default five minutes. */
  readonly refreshMarginMs?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
  /** Aborts every AssumeRole (a per-call signal given to sessionFor takes precedence). */
  readonly signal?: AbortSignal;
}

interface CachedCredentials {
  readonly identity: AwsCredentialIdentity;
  readonly expiresAt: number;
}

export function roleArnFor(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export class AccountCredentials {
  private readonly cache = new Map<string, CachedCredentials>();
  private readonly inFlight = new Map<string, Promise<CachedCredentials>>();
  private readonly now: () => number;
  private readonly refreshMarginMs: number;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: AccountCredentialsOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
  }

  /**
   * The session to read `accountId` with. Assumes the role now (so a refusal surfaces here as an
   * `AccountAccessError`); the session's credentials renew themselves when they near expiry.
   */
  async sessionFor(accountId: string, signal?: AbortSignal): Promise<AccountSession> {
    if (accountId === this.options.callerAccountId) return { accountId };
    await this.credentialsFor(accountId, signal);
    return {
      accountId,
      credentials: async () => this.credentialsFor(accountId),
    };
  }

  /** Fresh-enough credentials for the account, assuming the role when the cache has none. */
  async credentialsFor(accountId: string, signal?: AbortSignal): Promise<AwsCredentialIdentity> {
    const cached = this.cache.get(accountId);
    if (cached && cached.expiresAt - this.refreshMarginMs > this.now()) return cached.identity;
    let pending = this.inFlight.get(accountId);
    if (!pending) {
      pending = this.assumeRole(accountId, signal ?? this.options.signal).finally(() => this.inFlight.delete(accountId));
      this.inFlight.set(accountId, pending);
    }
    return (await pending).identity;
  }

  private async assumeRole(accountId: string, signal: AbortSignal | undefined): Promise<CachedCredentials> {
    const { roleName, externalId, region, partition, durationSeconds } = this.options;
    const roleArn = roleArnFor(accountId, roleName, partition);
    // Counted under the target account: getting in is part of what reading it costs.
    const sts = this.clients.sts({ accountId }, region);
    let response;
    try {
      response = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: ROLE_SESSION_NAME,
          ...(externalId !== undefined ? { ExternalId: externalId } : {}),
          ...(durationSeconds !== undefined ? { DurationSeconds: durationSeconds } : {}),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      const code = readErrorCode(error);
      const verb = code === 'AccessDenied' ? 'was denied' : 'failed';
      throw new AccountAccessError(accountId, code, `AssumeRole ${roleArn} ${verb} (${describeError(error)})`, { cause: error, roleArn });
    }
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new AccountAccessError(accountId, 'Other', `AssumeRole ${roleArn} returned no credentials`, { roleArn });
    }
    const expiration = c.Expiration ?? new Date(this.now() + (durationSeconds ?? 3600) * 1000);
    const cached: CachedCredentials = {
      identity: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        expiration,
      },
      expiresAt: expiration.getTime(),
    };
    this.cache.set(accountId, cached);
    return cached;
  }
}
