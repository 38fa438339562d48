// Hand-driven peers for the security e2e tests: a mesh identity obtained the way a workload gets one (an openssl
// key and CSR, signed by the CA's CreateCertificate with a join token), and raw HTTP/1.1 or TCP exchanges sent
// straight to a sidecar's inbound port, in plaintext or over mTLS, byte for byte as written.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { create } from '@bufbuild/protobuf';
import { credentials, makeGenericClientConstructor, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import type { ControlPlane } from '@heddle/control-plane';
import { istioCertificateServiceDefinition, type IstioCertificateServiceClient } from '@heddle/xds';
import { IstioCertificateRequestSchema } from '@heddle/xds/gen/istio/v1/auth/ca_pb.ts';
import { joinToken } from './mtls-mesh.ts';

export interface MeshIdentity {
  readonly spiffe: string;
  readonly keyPem: string;
  readonly chainPem: string;
  readonly rootsPem: string;
}

const CaClient = makeGenericClientConstructor(
  istioCertificateServiceDefinition,
  'IstioCertificateService',
) as unknown as new (address: string, creds: ChannelCredentials) => IstioCertificateServiceClient;

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(),
    );
  });
}

/** The PEM roots the CA reports (GET /apis/v1/ca/roots). */
export async function trustBundle(cp: ControlPlane): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/ca/roots`);
  assert.equal(response.status, 200);
  const status = (await response.json()) as { roots: { pem: string }[] };
  return status.roots.map((root) => root.pem).join('');
}

/** A certificate for `spiffe://cluster.local/ns/<namespace>/sa/<serviceAccount>`, as a workload obtains it. */
export async function meshIdentity(
  cp: ControlPlane,
  namespace: string,
  serviceAccount: string,
): Promise<MeshIdentity> {
  const dir = await mkdtemp(join(tmpdir(), 'heddle-identity-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const csrFile = join(dir, 'csr.pem');
    await run('openssl', [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/O=heddle-e2e',
      '-keyout',
      keyFile,
      '-out',
      csrFile,
    ]);
    const [keyPem, csrPem] = await Promise.all([readFile(keyFile, 'utf8'), readFile(csrFile, 'utf8')]);
    const token = await joinToken(cp, namespace, serviceAccount);
    const client = new CaClient(`127.0.0.1:${cp.xdsPort}`, credentials.createInsecure());
    const chain = await new Promise<string[]>((resolve, reject) => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${token}`);
      client.createCertificate(
        create(IstioCertificateRequestSchema, { csr: csrPem, validityDuration: 3600n }),
        metadata,
        { deadline: Date.now() + 10_000 },
        (error, response) => (error ? reject(error) : resolve([...(response?.certChain ?? [])])),
      );
    });
    client.close();
    return {
      spiffe: `spiffe://cluster.local/ns/${namespace}/sa/${serviceAccount}`,
      keyPem,
      // The whole chain: a root sent along is ignored by the verifier.
      chainPem: chain.join(''),
      rootsPem: await trustBundle(cp),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How to reach an inbound port: plaintext, or mTLS presenting `identity`. */
export type Transport =
  { readonly kind: 'plaintext' } | { readonly kind: 'mtls'; readonly identity: MeshIdentity };

export const PLAINTEXT: Transport = { kind: 'plaintext' };

export function mtls(identity: MeshIdentity): Transport {
  return { kind: 'mtls', identity };
}

function open(port: number, transport: Transport): Socket {
  if (transport.kind === 'plaintext') return netConnect(port, '127.0.0.1');
  const { identity } = transport;
  return tlsConnect({
    host: '127.0.0.1',
    port,
    key: identity.keyPem,
    cert: identity.chainPem,
    ca: identity.rootsPem,
    // The server's SAN is a SPIFFE URI, not a host name: the chain is verified, the name is not.
    checkServerIdentity: () => undefined,
    ALPNProtocols: ['http/1.1'],
  });
}

export interface RawReply {
  /** Everything received until the peer closed (or the time limit). */
  readonly text: string;
  /** The status of the first response, 0 when none came. */
  readonly status: number;
  /** The body of the first response (after the blank line). */
  readonly body: string;
}

/** Writes `bytes` and collects what comes back until the peer closes, bounded by `timeoutMs`. */
export function rawExchange(
  port: number,
  transport: Transport,
  bytes: string,
  timeoutMs = 5_000,
): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = open(port, transport);
    let data = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(data);
      const split = data.indexOf('\r\n\r\n');
      resolve({
        text: data,
        status: status ? Number(status[1]) : 0,
        body: split < 0 ? '' : data.slice(split + 4),
      });
    });
    socket.write(bytes);
  });
}

/** One `GET <path>` with `Connection: close` and the given extra header lines (`Name: value`). */
export function rawGet(
  port: number,
  transport: Transport,
  path: string,
  host: string,
  headerLines: readonly string[] = [],
  method = 'GET',
): Promise<RawReply> {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, ...headerLines, 'Connection: close', '', ''];
  return rawExchange(port, transport, lines.join('\r\n'));
}

/** A TCP exchange: connect, send `line`, and report what came back before the peer closed or went quiet. */
export function tcpExchange(
  port: number,
  transport: Transport,
  line: string,
  quietMs = 1_500,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = open(port, transport);
    let data = '';
    let timer = setTimeout(() => socket.destroy(), quietMs * 3);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      // Greeting and echo both arrived: done.
      if (data.includes(line)) {
        clearTimeout(timer);
        timer = setTimeout(() => socket.destroy(), 10);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.once(transport.kind === 'mtls' ? 'secureConnect' : 'connect', () => socket.write(line));
  });
}
