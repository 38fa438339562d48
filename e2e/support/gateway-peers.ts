// Peers for the gateway e2e tests: an egress gateway proxy, an HTTPS upstream with its own certificate (the
// PASSTHROUGH target), and the real clients (curl, openssl s_client, the heddle CLI) run with a deadline.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LogRegistry, startProxy, type Bootstrap, type Proxy } from '@heddle/proxy';

export const EGRESS_ID = 'router~127.0.0.1~egress.istio-system~istio-system.svc.cluster.local';
const HEDDLE_BIN = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'heddle.ts');

/** The egress gateway (role router, `istio: egressgateway`); every listener is moved to 127.0.0.1:0. */
export async function startEgressGateway(xdsPort: number): Promise<Proxy> {
  const bootstrap: Bootstrap = {
    node: {
      id: EGRESS_ID,
      cluster: 'egress.istio-system',
      metadata: {
        NAMESPACE: 'istio-system',
        WORKLOAD_NAME: 'egress',
        SERVICE_ACCOUNT: 'istio-egressgateway-service-account',
        LABELS: { istio: 'egressgateway', app: 'istio-egressgateway' },
        INSTANCE_IPS: '127.0.0.1',
      },
    },
    controlPlane: { addresses: [`127.0.0.1:${xdsPort}`] },
    admin: { address: '127.0.0.1', port: 0 },
    health: { address: '127.0.0.1', port: 0 },
    drainTimeoutMs: 5_000,
    concurrency: 1,
  };
  const proxy = await startProxy(bootstrap, {
    drainTimeoutMs: 5_000,
    backoff: { baseMs: 50, capMs: 500 },
    logs: new LogRegistry({ level: 'error' }),
    bindAddressOverride: () => ({ address: '127.0.0.1', port: 0 }),
  });
  const ready = await Promise.race([proxy.ready.then(() => true), sleep(20_000, false)]);
  if (!ready) {
    await proxy.close();
    assert.fail('the egress gateway did not become ready within 20 s');
  }
  return proxy;
}

export interface TlsUpstream {
  readonly port: number;
  close(): Promise<void>;
}

/** An HTTPS server with its own certificate; it answers `{"service": name, "sni": …}`. */
export async function startTlsUpstream(name: string, cert: string, key: string): Promise<TlsUpstream> {
  const server: Server = createServer({ cert, key }, (req, res) => {
    const socket = req.socket as { servername?: unknown };
    const body = JSON.stringify({ service: name, sni: socket.servername, path: req.url });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Run {
  /** The process's exit code; -1 when it could not run or was killed at the deadline. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with stdin closed and a 15 s deadline. */
export function run(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/** The `heddle` command, as a user runs it. */
export function heddle(args: readonly string[]): Promise<Run> {
  return run(process.execPath, [HEDDLE_BIN, ...args]);
}

/**
 * `curl https://<host>:<port><path>` with `--resolve` pinning the host to 127.0.0.1, so that SNI and Host
 * are the real name; prints the status code last (`%{http_code}`, 000 when there was no HTTP answer).
 */
export async function curlHttps(
  host: string,
  port: number,
  path: string,
  options: { readonly caFile: string; readonly cert?: string; readonly key?: string },
): Promise<{
  readonly status: number;
  readonly body: string;
  readonly code: number;
  readonly stderr: string;
}> {
  const result = await run('curl', [
    '-sS',
    '--max-time',
    '10',
    '--cacert',
    options.caFile,
    ...(options.cert && options.key ? ['--cert', options.cert, '--key', options.key] : []),
    '--resolve',
    `${host}:${port}:127.0.0.1`,
    '-w',
    '\n%{http_code}',
    `https://${host}:${port}${path}`,
  ]);
  const lines = result.stdout.split('\n');
  const status = Number(lines.pop() ?? '0');
  return { status, body: lines.join('\n'), code: result.code, stderr: result.stderr };
}

/** The certificate a TLS server on 127.0.0.1:`port` presents for `serverName` (openssl s_client). */
export async function servedCertificate(
  port: number,
  serverName: string,
): Promise<X509Certificate | undefined> {
  const result = await run('openssl', [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    '-servername',
    serverName,
  ]);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(result.stdout)?.[0];
  return pem ? new X509Certificate(pem) : undefined;
}
