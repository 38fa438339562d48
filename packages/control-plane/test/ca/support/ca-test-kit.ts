// Helpers for CA tests: a control plane with a CA on loopback, a real gRPC CertificateService client, CSRs and
// CA files made with openssl, and `openssl` itself to inspect what the CA issued.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import {
  credentials as grpcCredentials,
  makeGenericClientConstructor,
  Metadata,
  type ChannelCredentials,
  type ChannelOptions,
  type ServiceError,
} from '@grpc/grpc-js';
import { istioCertificateServiceDefinition, type IstioCertificateServiceClient } from '@heddle/xds';
import { IstioCertificateRequestSchema } from '@heddle/xds/gen/istio/v1/auth/ca_pb.ts';
import {
  MemoryConfigStore,
  silentLogger,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
} from '../../../src/index.ts';

export interface TempDir {
  readonly path: string;
  file(name: string): string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `heddle-${prefix}-`));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A control plane with its CA in `dataDir` (memory store, loopback ports, real translator). */
export function startCaControlPlane(
  dataDir: string,
  overrides: Partial<ControlPlaneOptions> = {},
): Promise<ControlPlane> {
  return startControlPlane({
    dataDir,
    store: new MemoryConfigStore(),
    xdsAddress: '127.0.0.1:0',
    httpAddress: '127.0.0.1:0',
    debounce: { quietMs: 5, maxDelayMs: 50 },
    logger: silentLogger,
    instanceId: 'ca-test',
    ...overrides,
  });
}

export function api(cp: ControlPlane, path: string): string {
  return `http://127.0.0.1:${cp.httpPort}${path}`;
}

export async function postJson(
  cp: ControlPlane,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(api(cp, path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson<T = Record<string, unknown>>(cp: ControlPlane, path: string): Promise<T> {
  const response = await fetch(api(cp, path));
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function joinToken(
  cp: ControlPlane,
  namespace: string,
  serviceAccount: string,
): Promise<string> {
  const { status, body } = await postJson(cp, '/apis/v1/tokens', { namespace, serviceAccount });
  if (status !== 201) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body.token as string;
}

export async function metricsText(cp: ControlPlane): Promise<string> {
  return (await fetch(api(cp, '/metrics'))).text();
}

export interface CaRootsBody {
  readonly mode: string;
  readonly keyType?: string;
  readonly rotation?: { readonly state: string; readonly next: string };
  readonly roots: readonly {
    readonly id?: string;
    readonly sha256: string;
    readonly signing: boolean;
    readonly pem: string;
  }[];
  readonly bundle: string;
}

const CaClient = makeGenericClientConstructor(
  istioCertificateServiceDefinition,
  'IstioCertificateService',
) as unknown as new (
  address: string,
  creds: ChannelCredentials,
  options?: ChannelOptions,
) => IstioCertificateServiceClient;

export class CertificateClient {
  readonly #client: IstioCertificateServiceClient;

  constructor(
    port: number,
    creds: ChannelCredentials = grpcCredentials.createInsecure(),
    options: ChannelOptions = {},
  ) {
    this.#client = new CaClient(`127.0.0.1:${port}`, creds, options);
  }

  /** Resolves with the chain, or rejects with the gRPC ServiceError. */
  sign(csr: string, token?: string, validitySeconds = 0n): Promise<string[]> {
    const metadata = new Metadata();
    if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
    const request = create(IstioCertificateRequestSchema, { csr, validityDuration: validitySeconds });
    return new Promise((resolve, reject) => {
      this.#client.createCertificate(
        request,
        metadata,
        { deadline: Date.now() + 10_000 },
        (error, response) => {
          if (error) reject(error);
          else resolve(response?.certChain ?? []);
        },
      );
    });
  }

  /** The gRPC error a refused call ends with. */
  async refusal(csr: string, token?: string, validitySeconds = 0n): Promise<ServiceError> {
    try {
      await this.sign(csr, token, validitySeconds);
    } catch (error) {
      return error as ServiceError;
    }
    throw new Error('the CA signed a request it should have refused');
  }

  close(): void {
    this.#client.close();
  }
}

export function openssl(args: readonly string[], input?: string): string {
  return execFileSync('openssl', args, {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(input !== undefined ? { input } : {}),
  });
}

/**
 * openssl without blocking the event loop: needed whenever it talks to a server of this process (s_client), and
 * bounded in time.
 */
export function opensslAsync(args: readonly string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', args, { encoding: 'utf8', timeout: 10_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`openssl ${args[0] ?? ''} failed: ${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

/** Runs openssl and returns its exit status and both outputs, for commands expected to fail. */
export function opensslStatus(args: readonly string[]): { status: number; output: string } {
  try {
    return { status: 0, output: openssl(args) };
  } catch (error) {
    const failure = error as { status?: number; stdout?: string; stderr?: string };
    return { status: failure.status ?? -1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/**
 * An openssl-made P-256 key and CSR in `dir`; `san` lets a test claim an identity in the CSR that the CA must
 * ignore.
 */
export function opensslCsr(dir: TempDir, name: string, san?: string): { csr: string; keyPath: string } {
  const keyPath = dir.file(`${name}.key`);
  const csrPath = dir.file(`${name}.csr`);
  openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    csrPath,
    '-subj',
    `/CN=${name}`,
    ...(san ? ['-addext', `subjectAltName=${san}`] : []),
  ]);
  return { csr: openssl(['req', '-in', csrPath]), keyPath };
}

/** Writes the PEM texts to files in `dir` and returns their paths. */
export function writePems(dir: TempDir, files: Record<string, string>): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = dir.file(name);
    writeFileSync(paths[name], text);
  }
  return paths;
}

/** `openssl x509 -text` of one PEM certificate. */
export function certText(dir: TempDir, pem: string): string {
  const path = dir.file(`inspect-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(path, pem);
  return openssl(['x509', '-in', path, '-noout', '-text']);
}

/** `openssl verify`; returns its status and output. */
export function verify(dir: TempDir, leaf: string, trusted: string, untrusted?: string, purpose?: string) {
  const { leafPath, caPath, chainPath } = {
    leafPath: dir.file(`verify-leaf-${Math.random().toString(36).slice(2)}.pem`),
    caPath: dir.file(`verify-ca-${Math.random().toString(36).slice(2)}.pem`),
    chainPath: dir.file(`verify-chain-${Math.random().toString(36).slice(2)}.pem`),
  };
  writeFileSync(leafPath, leaf);
  writeFileSync(caPath, trusted);
  if (untrusted) writeFileSync(chainPath, untrusted);
  return opensslStatus([
    'verify',
    ...(purpose ? ['-purpose', purpose] : []),
    '-CAfile',
    caPath,
    ...(untrusted ? ['-untrusted', chainPath] : []),
    leafPath,
  ]);
}
