import type { ReadErrorCode } from '../collect/inventory';
import { TrailwatchError, UsageError } from '../errors';

/**
 * An account trailwatch cannot get into: AssumeRole refused or failed, or credentials the
 * account's endpoints reject. The orchestrator turns it into an ERROR finding for that account.
 */
export class AccountAccessError extends TrailwatchError {
  /** The role trailwatch tried to assume, when the failure was AssumeRole's. */
  readonly roleArn: string | undefined;

  constructor(
    readonly accountId: string,
    readonly code: ReadErrorCode,
    /** One sentence for the report, e.g. "AssumeRole arn:aws:iam::1:role/x was denied (AccessDenied: ...)". */
    readonly reason: string,
    options: { cause?: unknown; roleArn?: string } = {},
  ) {
    super(`cannot access account ${accountId}: ${reason}`, { cause: options.cause });
    this.roleArn = options.roleArn;
  }
}

/** The organization could not be listed for a reason other than "no organization" or "no permission". */
export class DiscoveryError extends TrailwatchError {}

/** Nothing answered at the AWS endpoint (wrong --endpoint-url, no network): a configuration error. */
export class EndpointUnreachableError extends DiscoveryError {}

/** An --ous value that is not an OU (or root) of this organization. */
export class UnknownOrganizationalUnitError extends UsageError {
  constructor(readonly ouId: string) {
    super(`--ous: '${ouId}' is not an organizational unit or root of this organization`);
  }
}
