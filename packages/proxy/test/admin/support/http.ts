// A tiny HTTP client for admin tests (undici), returning status, headers and body text.
import { request } from 'undici';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export async function call(
  port: number,
  path: string,
  options: {
    readonly method?: 'GET' | 'POST' | 'HEAD' | 'PUT';
    readonly headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const response = await request(`http://127.0.0.1:${port}${path}`, {
    method: options.method ?? 'GET',
    ...(options.headers ? { headers: options.headers } : {}),
    headersTimeout: 5000,
    bodyTimeout: 5000,
  });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

/** Polls `path` until it answers `status` (connection errors count as not yet), failing after `timeoutMs`. */
export async function waitForStatus(
  port: number,
  path: string,
  status: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await call(port, path).catch(() => undefined);
    if (reply?.status === status) return;
    if (Date.now() > deadline) throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
