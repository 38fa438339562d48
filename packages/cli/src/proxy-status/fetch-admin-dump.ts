// A proxy's own view: its admin /config_dump (endpoints included), as istioctl reads Envoy's through a port-forward.
import { CliError } from '../cli-error.ts';
import { UsageError } from '../usage-error.ts';
import type { ConfigDump } from '../client/api-types.ts';
import { sendHttpRequest } from '../client/http-request.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeFsError } from '../input/describe-fs-error.ts';

const TIMEOUT_MS = 15_000;

export async function fetchAdminDump(adminUrl: string): Promise<ConfigDump> {
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(adminUrl) ? adminUrl : `http://${adminUrl}`;
  let url: URL;
  try {
    url = new URL('/config_dump?include_eds', base);
  } catch {
    throw new UsageError(
      `invalid proxy admin address '${adminUrl}'`,
      'Use the admin URL, e.g. http://127.0.0.1:15000.',
    );
  }
  let body: string;
  try {
    const response = await sendHttpRequest({ method: 'GET', url, timeoutMs: TIMEOUT_MS });
    if (response.status !== 200) {
      throw new CliError(
        `the proxy admin at ${url.origin} answered ${response.status} to /config_dump`,
        EXIT_CODES.PROTOCOL,
      );
    }
    body = response.body;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      `cannot reach the proxy admin at ${url.origin}: ${describeFsError(error)}`,
      EXIT_CODES.UNAVAILABLE,
    );
  }
  const { normalizeConfigDump } = await import('../proxy-config/normalize-config-dump.ts');
  try {
    return normalizeConfigDump(JSON.parse(body) as unknown);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `the proxy admin at ${url.origin} sent no config dump: ${reason}`,
      EXIT_CODES.PROTOCOL,
    );
  }
}
