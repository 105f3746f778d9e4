import { TrailwatchError } from '../errors';

/** A remediation step that could not be made; carries where it was. */
export class RemediationError extends TrailwatchError {
  constructor(
    message: string,
    readonly where: { readonly accountId: string; readonly region?: string; readonly resource?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A plan that cannot be read, decided or applied: missing, expired, already decided, drifted. */
export class ApprovalError extends TrailwatchError {
  constructor(
    message: string,
    readonly reason: 'missing' | 'unreadable' | 'expired' | 'decided' | 'drifted',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
