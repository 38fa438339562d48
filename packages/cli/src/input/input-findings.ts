// The findings reading input can produce: a path that cannot be read, is too large, or holds no config.
import { MAX_FILE_BYTES, SOURCE_CODES, type Finding } from '@heddle/api';

export const CONFIG_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** The name findings use for standard input. */
export const STDIN_NAME = '<stdin>';

export function unreadableFinding(path: string, reason: string): Finding {
  return {
    code: SOURCE_CODES.FILE_UNREADABLE,
    level: 'Error',
    message: `cannot read "${path}": ${reason}`,
    file: path,
  };
}

export function tooLargeFinding(path: string, bytes: number): Finding {
  const mib = (bytes / (1024 * 1024)).toFixed(1);
  const limit = MAX_FILE_BYTES / (1024 * 1024);
  return {
    code: SOURCE_CODES.FILE_TOO_LARGE,
    level: 'Error',
    message: `"${path}" is ${mib} MiB, above the ${limit} MiB limit; it was not read (split it into several files)`,
    file: path,
  };
}

export function noInputFinding(path: string): Finding {
  return {
    code: SOURCE_CODES.NO_INPUT,
    level: 'Error',
    message: `directory "${path}" holds no ${CONFIG_EXTENSIONS.join(', ')} files`,
    file: path,
  };
}

export function stdinTooLargeFinding(): Finding {
  return {
    code: SOURCE_CODES.FILE_TOO_LARGE,
    level: 'Error',
    message: `standard input is larger than the ${MAX_FILE_BYTES / (1024 * 1024)} MiB limit; it was not read (split it into several files)`,
    file: STDIN_NAME,
  };
}

/** A pipe that delivered nothing usually means the command feeding it failed; say so rather than pass. */
export function emptyStdinFinding(): Finding {
  return {
    code: SOURCE_CODES.FILE_EMPTY,
    level: 'Warning',
    message: 'standard input was empty: nothing was validated (did the command feeding the pipe fail?)',
    file: STDIN_NAME,
  };
}
