import { UsageError } from '../errors';

/** An exceptions file that cannot be used: nothing is scanned. Names the entry and the field when it can. */
export class ExceptionsFileError extends UsageError {
  constructor(
    message: string,
    /** 1-based entry, when the problem is in one. */
    readonly entry?: number,
    /** The field inside the entry, e.g. "expires" or "accounts[1]". */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
