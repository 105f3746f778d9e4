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

/** A resource with trailwatch's name that trailwatch did not create: it is left alone. */
export class NotTrailwatchsError extends RemediationError {}
