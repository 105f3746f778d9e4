import { UsageError } from '../errors';
import type { BenchmarkId, CheckSlug } from './types';

/** A benchmark name that is none of the known versions (or matches several). */
export class UnknownBenchmarkError extends UsageError {
  constructor(
    readonly input: string,
    readonly candidates: readonly BenchmarkId[],
    message: string,
  ) {
    super(message);
  }
}

/** A check slug that is not one of the fifteen. */
export class UnknownCheckError extends UsageError {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

/** A check the selected benchmark version does not have (cis-aws-v1.2.0 has no organizations_changes). */
export class CheckNotInBenchmarkError extends UsageError {
  constructor(
    readonly benchmark: BenchmarkId,
    readonly checks: readonly CheckSlug[],
    message: string,
  ) {
    super(message);
  }
}
