// How the demo reaches the shop: HTTPS through the ingress gateway with the demo CA as the only trust anchor
// (the name checked is shop.example.com), plain HTTP to the gateway's port 80, HTTP through a sidecar's proxy
// port (a mesh client), and a raw plaintext exchange with a workload's mTLS-only port.
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface Reply {
  /** 0 when there was no HTTP answer (refused, reset, timed out, TLS failure). */
  readonly status: number;
  readonly ms: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly error?: string;
  /** The gateway's certificate, on HTTPS replies. */
  readonly certificate?: PeerCertificate;
}

export interface Call {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

const TIMEOUT_MS = 15_000;

export interface ShopTarget {
  readonly host: string;
  readonly httpsPort: number;
  readonly httpPort: number;
  readonly hostname: string;
  readonly ca: string;
}

export class ShopClient {
  readonly #target: ShopTarget;
  readonly #agent: HttpsAgent;

  constructor(target: ShopTarget) {
    this.#target = target;
    this.#agent = new HttpsAgent({
      keepAlive: true,
      maxSockets: 64,
      ca: target.ca,
      servername: target.hostname,
    });
  }

  /**
   * `https://shop.example.com<path>`, verified against the demo CA only. `fresh` opens a connection of its
   * own with a full handshake: a resumed TLS session does not carry the server's certificate again.
   */
  https(call: Call, fresh = false): Promise<Reply> {
    const { host, httpsPort, hostname, ca } = this.#target;
    return exchange(
      (onResponse) =>
        httpsRequest(
          {
            host,
            port: httpsPort,
            servername: hostname,
            ...(fresh ? { agent: false, ca } : { agent: this.#agent }),
            method: call.method ?? 'GET',
            path: call.path,
            headers: { host: hostname, ...call.headers },
            timeout: TIMEOUT_MS,
          },
          onResponse,
        ),
      call.body,
      true,
    );
  }

  /** `http://shop.example.com<path>`: the gateway's port 80, which redirects to HTTPS. */
  http(call: Call): Promise<Reply> {
    const { host, httpPort, hostname } = this.#target;
    return exchange(
      (onResponse) =>
        httpRequest(
          {
            host,
            port: httpPort,
            agent: false,
            method: call.method ?? 'GET',
            path: call.path,
            headers: { host: hostname, ...call.headers },
            timeout: TIMEOUT_MS,
          },
          onResponse,
        ),
      call.body,
      false,
    );
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** A request to `http://<service host><path>` sent to a sidecar's outbound port, as an app behind it does. */
export function viaSidecar(outboundPort: number, serviceHost: string, call: Call): Promise<Reply> {
  return exchange(
    (onResponse) =>
      httpRequest(
        {
          host: '127.0.0.1',
          port: outboundPort,
          agent: false,
          method: call.method ?? 'GET',
          path: `http://${serviceHost}${call.path}`,
          headers: { host: serviceHost, ...call.headers },
          timeout: TIMEOUT_MS,
        },
        onResponse,
      ),
    call.body,
    false,
  );
}

type Starter = (onResponse: (res: IncomingMessage) => void) => ReturnType<typeof httpRequest>;

function exchange(start: Starter, body: string | undefined, tls: boolean): Promise<Reply> {
  const began = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (reply: Omit<Reply, 'ms'>): void => {
      if (done) return;
      done = true;
      resolve({ ...reply, ms: performance.now() - began });
    };
    const req = start((res) => {
      const certificate = tls ? (res.socket as TLSSocket).getPeerCertificate() : undefined;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        finish({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ...(certificate ? { certificate } : {}),
        }),
      );
      res.on('error', (error) => finish({ status: 0, headers: {}, body: '', error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) => finish({ status: 0, headers: {}, body: '', error: error.message }));
    req.end(body);
  });
}

/**
 * Sends one plaintext HTTP request straight to a workload's mesh port and collects whatever comes back: under
 * STRICT mTLS the sidecar must close the connection without an HTTP answer (and never reach the app).
 */
export function plaintextExchange(port: number, hostHeader: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.write(`GET /api/orders HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
  });
}
