// The one error type that means "the command line was wrong": main turns it into exit 64 and a hint.

export class UsageError extends Error {
  /** What to try next, e.g. "Run 'heddle validate --help' for usage." */
  readonly hint: string;

  constructor(message: string, hint = "Run 'heddle --help' for usage.") {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}
