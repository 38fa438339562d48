// One HTTP/1.1 request over node:http with a deadline, sending exactly the headers given (never an Origin).
import { request } from 'node:http';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Rejects with the socket's error (ECONNREFUSED …) or with a `TimeoutError` when the deadline passes. */
export function sendHttpRequest(spec: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
    const req = request(spec.url, {
      method: spec.method,
      headers: {
        accept: 'application/json',
        ...spec.headers,
        ...(body ? { 'content-length': String(body.byteLength) } : {}),
      },
      signal: AbortSignal.timeout(spec.timeoutMs),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(body);
  });
}
