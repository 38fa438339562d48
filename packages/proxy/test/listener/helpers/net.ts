// Loopback plumbing for listener tests: echo upstreams, raw clients, and bounded waits.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Upstream {
  readonly port: number;
  readonly accepted: () => number;
  close(): Promise<void>;
}

/** Echoes every byte back and half-closes after the client does; `label` is sent first when given. */
export async function echoServer(label?: string): Promise<Upstream> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (label !== undefined) socket.write(`${label}\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return {
    port: address.port,
    accepted: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function connectTcp(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, allowHalfOpen: true });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Collects what the socket sends until it ends or closes; resolves with everything. */
export function readToEnd(socket: Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    const done = (): void => resolve(Buffer.concat(chunks));
    socket.once('end', done);
    socket.once('close', done);
    socket.resume();
  });
}

/** Resolves with the bytes received once `predicate` holds for them. */
export function readUntil(
  socket: Socket,
  predicate: (received: string) => boolean,
  timeoutMs = 5000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(
      () => finish(new Error(`timed out; got ${JSON.stringify(received)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      if (predicate(received)) finish();
    };
    const onClose = (): void => finish(new Error(`closed; got ${JSON.stringify(received)}`));
    function finish(error?: Error): void {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      if (error) reject(error);
      else resolve(received);
    }
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** Resolves with the time it took the peer to close (FIN or reset); rejects after `timeoutMs`. */
export function closed(socket: Socket, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs);
    socket.on('error', () => undefined);
    socket.resume();
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Date.now() - start);
    };
    socket.once('end', done);
    socket.once('close', done);
  });
}

export async function eventually(
  check: () => boolean,
  timeoutMs = 5000,
  message = 'condition not met',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
