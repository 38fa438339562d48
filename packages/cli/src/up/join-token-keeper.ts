// Keeps a proxy's join token file fresh: the proxy's certificate agent reads the file before every certificate
// request (the first after each start, then each renewal), so the file must always hold a token the CA still
// accepts. A token is replaced at half its lifetime, when the proxy is restarted (`refresh()`), and whenever a
// new one comes another way (a workload registered again: `use()`).
import { rename, writeFile } from 'node:fs/promises';
import { decodeJwt } from 'jose';
import { sendHttpRequest } from '../client/http-request.ts';

export interface JoinTokenIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export interface JoinTokenKeeperOptions {
  /** The control plane's HTTP API, where `POST /apis/v1/tokens` issues tokens. */
  readonly controlPlaneUrl: string;
  readonly tokenFile: string;
  readonly identity: JoinTokenIdentity;
  /** Lifetime asked for each token; the control plane's default (7 days) when absent. */
  readonly ttlSeconds?: number;
  /** A token already in hand (a registration's), written instead of asking for a first one. */
  readonly initialToken?: string;
  /** Told when a scheduled refresh fails; the keeper tries again later. */
  readonly onError?: (message: string) => void;
}

export interface JoinTokenKeeper {
  readonly tokenFile: string;
  /** Asks for a new token now and replaces the file; resolves false when it could not (the old one stays). */
  refresh(): Promise<boolean>;
  /** Writes a token obtained elsewhere and schedules its replacement. */
  use(token: string): Promise<void>;
  close(): void;
}

/** Tokens are replaced at half their life, at least this often, so one lost refresh is not fatal. */
const MAX_REFRESH_MS = 24 * 3600 * 1000;
/** After a failed refresh (control plane restarting), the next try. */
const RETRY_MS = 15_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** Milliseconds until a token is replaced: half of its lifetime (its `exp` minus `iat`), within bounds. */
export function tokenRefreshDelayMs(token: string): number {
  try {
    const { iat, exp } = decodeJwt(token);
    if (typeof iat === 'number' && typeof exp === 'number' && exp > iat)
      return Math.max(1_000, Math.min(MAX_REFRESH_MS, ((exp - iat) * 1000) / 2));
  } catch {
    // Not a JWT we can read: the daily refresh still replaces it.
  }
  return MAX_REFRESH_MS;
}

/**
 * Writes a first token and keeps it fresh. Resolves undefined when the control plane runs no CA (it answers
 * the token request with an error): the proxy then runs without a certificate. Rejects when the control
 * plane cannot be reached or the file cannot be written.
 */
export async function keepJoinToken(options: JoinTokenKeeperOptions): Promise<JoinTokenKeeper | undefined> {
  const first = options.initialToken ?? (await requestJoinToken(options));
  if (first === undefined) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let inFlight: Promise<boolean> | undefined;

  const schedule = (delayMs: number): void => {
    clearTimeout(timer);
    if (closed) return;
    timer = setTimeout(() => void refresh(), delayMs);
    timer.unref();
  };
  const use = async (token: string): Promise<void> => {
    await writeTokenFile(options.tokenFile, token);
    schedule(tokenRefreshDelayMs(token));
  };
  const refresh = (): Promise<boolean> => {
    inFlight ??= (async () => {
      try {
        const token = await requestJoinToken(options);
        if (token === undefined) throw new Error('the control plane no longer runs a CA');
        if (closed) return false;
        await use(token);
        return true;
      } catch (error) {
        options.onError?.(
          `could not renew the join token in ${options.tokenFile}: ${(error as Error).message}`,
        );
        schedule(RETRY_MS);
        return false;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  await use(first);
  return {
    tokenFile: options.tokenFile,
    refresh,
    use,
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

/** `POST /apis/v1/tokens`; undefined when the control plane runs no CA (it answers 404). */
export async function requestJoinToken(
  options: Pick<JoinTokenKeeperOptions, 'controlPlaneUrl' | 'identity' | 'ttlSeconds'>,
): Promise<string | undefined> {
  const response = await sendHttpRequest({
    method: 'POST',
    url: new URL(`${options.controlPlaneUrl}/apis/v1/tokens`),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      namespace: options.identity.namespace,
      serviceAccount: options.identity.serviceAccount,
      ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    }),
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  if (response.status === 404) return undefined;
  const body = parseJson(response.body);
  if (response.status !== 201) {
    const message = typeof body?.message === 'string' ? body.message : `status ${response.status}`;
    throw new Error(`the control plane refused a join token: ${message}`);
  }
  const token = body?.token;
  if (typeof token !== 'string' || token === '') throw new Error('the control plane sent no join token');
  return token;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    return json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Owner-only, replaced whole (a rename), so the proxy never reads half a token. */
async function writeTokenFile(path: string, token: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${token}\n`, { mode: 0o600 });
  await rename(temporary, path);
}
