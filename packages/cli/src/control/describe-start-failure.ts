// Turns what startControlPlane threw into one line and an exit code, when it is a known operational failure.
import type { CliError } from '../cli-error.ts';
import { cannotListen } from './ensure-address-free.ts';
import type { BoundAddress } from './listen-address.ts';
import { cannotUse } from './prepare-data-dir.ts';

export interface StartAddresses {
  readonly xds: BoundAddress;
  readonly http: BoundAddress;
  readonly dataDir: string;
}

const LISTEN_ERRORS = /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL)\b/;

/** Undefined for anything unexpected, which main reports as an internal error. */
export function describeStartFailure(error: unknown, addresses: StartAddresses): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  // The HTTP server fails with Node's own error; the gRPC server with a message that quotes it.
  if (typeof code === 'string' && LISTEN_ERRORS.test(code))
    return cannotListen(addresses.http, 'HTTP API', error);
  const quoted = LISTEN_ERRORS.exec(error.message)?.[1];
  if (quoted !== undefined) {
    return cannotListen(addresses.xds, 'xDS', { code: quoted, message: reasonOf(quoted) });
  }
  if (typeof code === 'string' && (code.startsWith('HEDDLE_STORE_') || code.startsWith('ERR_SQLITE'))) {
    return cannotUse(addresses.dataDir, error.message);
  }
  return undefined;
}

function reasonOf(code: string): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'address already in use';
    case 'EACCES':
      return 'permission denied';
    default:
      return 'address not available';
  }
}
