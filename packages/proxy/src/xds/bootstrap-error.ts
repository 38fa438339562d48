// The error a bad bootstrap raises: a stable code and one line naming every offending field.
export const BOOTSTRAP_INVALID = 'HEDDLE_PROXY_BOOTSTRAP_INVALID';
export const BOOTSTRAP_UNREADABLE = 'HEDDLE_PROXY_BOOTSTRAP_UNREADABLE';

export type BootstrapErrorCode = typeof BOOTSTRAP_INVALID | typeof BOOTSTRAP_UNREADABLE;

export class BootstrapError extends Error {
  readonly code: BootstrapErrorCode;
  /** `field.path: problem` entries, in the order they were found. */
  readonly problems: readonly string[];

  constructor(code: BootstrapErrorCode, problems: readonly string[], source?: string) {
    const what = code === BOOTSTRAP_INVALID ? 'invalid bootstrap' : 'cannot read bootstrap';
    super(`${source ? `${source}: ` : ''}${what}: ${problems.join('; ')}`);
    this.name = 'BootstrapError';
    this.code = code;
    this.problems = problems;
  }
}
