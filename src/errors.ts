/** Base of every error trailwatch raises on purpose; anything else is a bug. */
export class TrailwatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from a person or a pipeline: a flag, a payload, a setting, a file. CLI exit code 2. */
export class UsageError extends TrailwatchError {}
