// Tries each fixed listen address before starting: a taken port is one clear line, and nothing half starts.
import { createServer } from 'node:net';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeFsError } from '../input/describe-fs-error.ts';
import { formatAddress, type BoundAddress } from './listen-address.ts';

/** Port 0 asks the OS for a free port and cannot be taken. */
export async function ensureAddressFree(address: BoundAddress, role: string): Promise<void> {
  if (address.port === 0) return;
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address.host, port: address.port, exclusive: true }, resolve);
    });
  } catch (error) {
    throw cannotListen(address, role, error);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function cannotListen(address: BoundAddress, role: string, error: unknown): CliError {
  return new CliError(
    `cannot listen on ${formatAddress(address)} (${role}): ${describeFsError(error)}`,
    EXIT_CODES.UNAVAILABLE,
  );
}
