// The credential the proxy presents on its ADS streams: the same join token its certificate agent sends the CA
// (bootstrap `ca.token`, or `ca.tokenFile` read again for every new stream so that a refreshed file is used).
import { readFileSync } from 'node:fs';
import type { Logger } from '../admin/logger.ts';
import type { CaBootstrap } from './bootstrap-ca.ts';

/** Undefined without a `ca` section: such a proxy has no identity to prove, and sends no token. */
export function adsTokenSource(
  ca: CaBootstrap | undefined,
  logger: Logger,
): (() => string | undefined) | undefined {
  if (!ca) return undefined;
  const inline = ca.token;
  if (inline !== undefined) return () => inline;
  const file = ca.tokenFile;
  if (file === undefined) return undefined;
  return () => {
    try {
      const token = readFileSync(file, 'utf8').trim();
      return token === '' ? undefined : token;
    } catch (error) {
      logger.warn(`cannot read ca.tokenFile ${file} for the ADS stream: ${(error as Error).message}`);
      return undefined;
    }
  };
}
