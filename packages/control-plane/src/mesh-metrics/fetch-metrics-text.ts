// One bounded scrape: GET the URL over plain HTTP, at most `timeoutMs` for the whole answer and `maxBytes` of
// body, 200 only; anything else is an error the scraper counts as an unhealthy target.
import { get, type Agent } from 'node:http';

export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly agent?: Agent;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 2_000, maxBytes: 4 * 1024 * 1024 };

export function fetchMetricsText(url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const request = get(
      url,
      {
        headers: { accept: 'text/plain;version=0.0.4' },
        ...(limits.agent ? { agent: limits.agent } : {}),
      },
      (response) => {
        if (response.statusCode !== 200) {
          fail(new Error(`${url} answered ${response.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes) fail(new Error(`${url} sent more than ${limits.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
        response.on('error', fail);
        response.on('close', () => fail(new Error(`${url} closed the connection mid-answer`)));
      },
    );
    const timer = setTimeout(
      () => fail(new Error(`${url} did not answer within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    request.on('error', fail);
  });
}
