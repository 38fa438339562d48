// A Zipkin- and OTLP-compatible receiver on loopback for tracing tests: records every report it is sent,
// and can be told to hold reports unanswered (a collector that hangs).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedReport {
  readonly path: string;
  readonly contentType: string;
  readonly body: unknown;
}

export interface ZipkinJsonSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  readonly kind: 'SERVER' | 'CLIENT';
  readonly timestamp: number;
  readonly duration: number;
  readonly localEndpoint: { readonly serviceName: string };
  readonly tags: Readonly<Record<string, string>>;
}

export interface SpanReceiver {
  readonly port: number;
  readonly reports: ReceivedReport[];
  /** Every Zipkin span received so far. */
  zipkinSpans(): ZipkinJsonSpan[];
  /** Resolves once at least `count` Zipkin spans arrived. */
  waitForSpans(count: number, timeoutMs?: number): Promise<ZipkinJsonSpan[]>;
  hang: boolean;
  close(): Promise<void>;
}

export async function startSpanReceiver(): Promise<SpanReceiver> {
  const reports: ReceivedReport[] = [];
  const held: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const waiters: (() => void)[] = [];
  const receiver: SpanReceiver = {
    port: 0,
    reports,
    hang: false,
    zipkinSpans: () =>
      reports.filter((r) => r.path === '/api/v2/spans').flatMap((r) => r.body as ZipkinJsonSpan[]),
    waitForSpans: async (count, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (receiver.zipkinSpans().length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `expected ${count} spans, got ${receiver.zipkinSpans().length} within ${timeoutMs} ms`,
          );
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return receiver.zipkinSpans();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (receiver.hang) {
        held.push(res);
        return;
      }
      reports.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      for (const wake of waiters.splice(0)) wake();
      res.writeHead(202);
      res.end();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (receiver as { port: number }).port = (server.address() as AddressInfo).port;
  return receiver;
}
