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
