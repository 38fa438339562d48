// A keep-alive HTTP/1.1 client for shutdown tests: one connection, requests one after another until the
// proxy answers `Connection: close`, the connection fails, or the test says stop. Every outcome is recorded;
// a request counts as started unless the connection was refused before anything was written.
import { Agent, request } from 'undici';

export interface ShutdownOutcome {
  readonly started: boolean;
  readonly status?: number;
  readonly body?: string;
  readonly connectionClose?: boolean;
  readonly error?: string;
}

export async function requestUntilClosed(
  urlOf: (index: number) => string,
  outcomes: ShutdownOutcome[],
  stopped: () => boolean,
): Promise<void> {
  const agent = new Agent({ connections: 1, pipelining: 1 });
  try {
    for (let i = 0; !stopped(); i++) {
      let sent = false;
      try {
        const res = await request(urlOf(i), {
          dispatcher: agent,
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        sent = true;
        const body = await res.body.text();
        const connectionClose = String(res.headers['connection'] ?? '').toLowerCase() === 'close';
        outcomes.push({ started: true, status: res.statusCode, body, connectionClose });
        // Told to go away: a real client would move to another replica.
        if (connectionClose) return;
      } catch (error) {
        const code = (error as { code?: string }).code ?? String(error);
        // Without an answer it cannot be known whether the request was written: only a refused connection
        // counts as never started.
        outcomes.push({ started: sent || code !== 'ECONNREFUSED', error: code });
        return;
      }
    }
  } finally {
    await agent.close().catch(() => {});
  }
}
