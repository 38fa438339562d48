// Exit codes of the `heddle` command: the numbers istioctl and kubectl use, so scripts carry over.

export const EXIT_CODES = {
  /** Nothing at or above the failure threshold; the command did what was asked. */
  OK: 0,
  /** The named resource or proxy does not exist (kubectl's and istioctl's generic failure code). */
  NOT_FOUND: 1,
  /** The command line itself was wrong: unknown verb or option, bad option value, no input. */
  USAGE: 64,
  /** An input could not be read or parsed (sysexits' EX_DATAERR). */
  UNREADABLE_INPUT: 65,
  /** The control plane cannot be reached, or `heddle control` cannot listen (sysexits' EX_UNAVAILABLE). */
  UNAVAILABLE: 69,
  /** A bug in Heddle (sysexits' EX_SOFTWARE). */
  INTERNAL: 70,
  /** The data directory cannot be created or written (sysexits' EX_CANTCREAT). */
  CANNOT_CREATE: 73,
  /** The control plane answered something the CLI did not expect (sysexits' EX_PROTOCOL). */
  PROTOCOL: 76,
  /** Findings at or above the failure threshold, or config the control plane refused (istioctl's code). */
  FINDINGS: 79,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
