// Real TLS and HTTP clients for listener tests, returning what they saw (certificate, ALPN, body).
import { execFile } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { connect as http2Connect } from 'node:http2';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { FakeAnswer } from './fake-http.ts';

export interface HttpsResult {
  readonly status: number;
  readonly answer: FakeAnswer;
  readonly peerCommonName: string | undefined;
}

/** One HTTP/1.1 request over TLS; rejects on handshake or connection errors. */
export function httpsGet(port: number, options: ConnectionOptions): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path: '/', agent: false, ALPNProtocols: ['http/1.1'], ...options } as never,
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const cert = (res.socket as TLSSocket).getPeerCertificate();
          resolve({
            status: res.statusCode ?? 0,
            answer: JSON.parse(body) as FakeAnswer,
            peerCommonName: commonName(cert?.subject?.CN),
          });
        });
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** One HTTP/2 request, over TLS (`https:`) or prior knowledge (`http:`). */
export function http2Get(url: string, options: ConnectionOptions = {}): Promise<FakeAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url, options);
    session.on('error', reject);
    const stream = session.request({ ':path': '/' });
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      session.close();
      try {
        resolve(JSON.parse(body) as FakeAnswer);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    stream.end();
    stream.setTimeout(5000, () => stream.destroy(new Error('request timed out')));
  });
}

/** A TLS handshake and nothing else: resolves with the negotiated details, or the error. */
export function tlsHandshake(
  port: number,
  options: ConnectionOptions,
): Promise<
  { ok: true; alpn: string | false | null; commonName: string | undefined } | { ok: false; error: string }
> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ...options });
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), 5000);
    function finish(result: Awaited<ReturnType<typeof tlsHandshake>>): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('secureConnect', () =>
      finish({
        ok: true,
        alpn: socket.alpnProtocol,
        commonName: commonName(socket.getPeerCertificate().subject?.CN),
      }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, error: error.code ?? error.message }),
    );
    socket.once('close', () => finish({ ok: false, error: 'closed' }));
  });
}

/** Runs a tool (openssl, curl) with empty stdin; resolves with stdout+stderr whatever the exit code. */
export function run(command: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: timeoutMs }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
    child.stdin?.end();
  });
}

const commonName = (cn: string | string[] | undefined): string | undefined =>
  Array.isArray(cn) ? cn[0] : cn;
