// Helpers for the ADS authentication tests: a control plane with its CA on 127.0.0.1 (memory store, real
// translator), ADS streams that present a token or none, and a logger whose lines a test can read.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  DeltaDiscoveryRequestSchema,
  DiscoveryRequestSchema,
  type DeltaDiscoveryRequest,
  type DiscoveryRequest,
} from '@heddle/xds';
import {
  MemoryConfigStore,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
  type Logger,
} from '../../../src/index.ts';
import { DeltaClient, SotwClient } from '../../support/ads-client.ts';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A logger that keeps every line, for assertions on what the control plane said. */
export function recordingLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (message: string, fields: Readonly<Record<string, unknown>> = {}): void =>
      void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface AuthPlane {
  readonly cp: ControlPlane;
  readonly logger: ReturnType<typeof recordingLogger>;
  /** A join token from this control plane's CA. */
  token(namespace: string, serviceAccount: string, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

/** A control plane with its CA in a fresh data directory; `xdsAuth` as the test asks (the default otherwise). */
export async function startAuthPlane(overrides: Partial<ControlPlaneOptions> = {}): Promise<AuthPlane> {
  const dataDir = await mkdtemp(join(tmpdir(), 'heddle-xds-auth-'));
  const logger = recordingLogger();
  let cp: ControlPlane;
  try {
    cp = await startControlPlane({
      dataDir,
      store: new MemoryConfigStore(),
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      debounce: { quietMs: 5, maxDelayMs: 50 },
      logger,
      instanceId: 'xds-auth-test',
      ...overrides,
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const plane = cp;
  return {
    cp: plane,
    logger,
    token: async (namespace, serviceAccount, ttlSeconds) => {
      const ca = plane.ca;
      if (!ca) throw new Error('the control plane runs without a CA');
      return (await ca.tokens.issue({ namespace, serviceAccount }, ttlSeconds)).token;
    },
    close: async () => {
      await plane.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** ADS streams (SotW or Delta) that send `authorization` exactly as given (undefined: none). */
export const AuthStream = {
  sotw: (port: number, authorization?: string): SotwClient => new SotwClient(port, undefined, authorization),
  delta: (port: number, authorization?: string): DeltaClient =>
    new DeltaClient(port, undefined, authorization),
};

export function sotwRequest(init: MessageInitShape<typeof DiscoveryRequestSchema>): DiscoveryRequest {
  return create(DiscoveryRequestSchema, init);
}

export function deltaRequest(
  init: MessageInitShape<typeof DeltaDiscoveryRequestSchema>,
): DeltaDiscoveryRequest {
  return create(DeltaDiscoveryRequestSchema, init);
}

/** An Istio-style node: sidecar or router, in `namespace`, running as `serviceAccount` (omitted: none sent). */
export function xdsNode(
  role: 'sidecar' | 'router',
  name: string,
  namespace: string,
  serviceAccount?: string,
  labels: Record<string, string> = { app: name },
) {
  return {
    id: `${role}~127.0.0.1~${name}.${namespace}~${namespace}.svc.cluster.local`,
    metadata: {
      NAMESPACE: namespace,
      LABELS: labels,
      ...(serviceAccount !== undefined ? { SERVICE_ACCOUNT: serviceAccount } : {}),
    },
  };
}
