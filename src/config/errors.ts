import { UsageError } from '../errors';

/** One wrong field: where it is ("checks[1]", "NOTIFY") and what is wrong with it. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

function describe(what: string, issues: readonly FieldIssue[]): string {
  return `${what}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`;
}

/** A Lambda payload that names something wrong: nothing is scanned. */
export class PayloadError extends UsageError {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(describe('invalid payload', issues));
  }
}

/** The function's environment is wrong: the function fails at cold start, before any event. */
export class ConfigurationError extends UsageError {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(describe('invalid environment', issues));
  }
}
