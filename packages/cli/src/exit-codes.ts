// Process exit codes of the `heddle` command, the same numbers istioctl uses so scripts carry over.

export const EXIT_CODES = {
  /** Nothing at or above the failure threshold. */
  OK: 0,
  /** The command line itself was wrong: unknown verb or option, bad option value, no input. */
  USAGE: 64,
  /** An input could not be read or parsed (sysexits' EX_DATAERR). */
  UNREADABLE_INPUT: 65,
  /** A bug in Heddle (sysexits' EX_SOFTWARE). */
  INTERNAL: 70,
  /** Findings at or above the failure threshold (istioctl analyze's code). */
  FINDINGS: 79,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
