import { TrailwatchError } from '../errors';

/**
 * A pattern that does not parse. `offset` is the 0-based character position of the problem;
 * the message ends with it ("expected a value after '=' at 27").
 */
export class PatternSyntaxError extends TrailwatchError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Throws the parse error for `problem` at `offset`, in the one message shape. */
export function syntaxError(problem: string, offset: number): PatternSyntaxError {
  return new PatternSyntaxError(`${problem} at ${offset}`, offset);
}
