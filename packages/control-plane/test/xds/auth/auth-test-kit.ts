// Helpers for the ADS authentication tests: a control plane with its CA on 127.0.0.1 (memory store, real
// translator), ADS streams that present a token or none, and a logger whose lines a test can read.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  type ClientDuplexStream,
  type StatusObject,
} from '@grpc/grpc-js';
import {
  aggregatedDiscoveryServiceDefinition,
  DeltaDiscoveryRequestSchema,
  DiscoveryRequestSchema,
  type AggregatedDiscoveryServiceClient,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
  type DiscoveryRequest,
  type DiscoveryResponse,
} from '@heddle/xds';
import {
  MemoryConfigStore,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
  type Logger,
} from '../../../src/index.ts';
import { MessageQueue } from '../../support/message-queue.ts';

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

const AdsGrpcClient = makeGenericClientConstructor(
  aggregatedDiscoveryServiceDefinition,
  'AggregatedDiscoveryService',
) as unknown as new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
) => AggregatedDiscoveryServiceClient;

function metadataWith(authorization: string | undefined): Metadata {
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  return metadata;
}

/** An ADS stream (SotW or Delta) that sends `authorization` as given (undefined: none). */
export class AuthStream<Req, Res> {
  readonly responses = new MessageQueue<Res>();
  readonly statuses = new MessageQueue<StatusObject>();
  readonly #client: AggregatedDiscoveryServiceClient;
  readonly #call: ClientDuplexStream<Req, Res>;

  private constructor(client: AggregatedDiscoveryServiceClient, call: ClientDuplexStream<Req, Res>) {
    this.#client = client;
    this.#call = call;
    call.on('data', (response: Res) => this.responses.push(response));
    call.on('status', (status: StatusObject) => this.statuses.push(status));
    call.on('error', () => {});
  }

  static sotw(port: number, authorization?: string): AuthStream<DiscoveryRequest, DiscoveryResponse> {
    const client = new AdsGrpcClient(`127.0.0.1:${port}`, credentials.createInsecure());
    return new AuthStream(client, client.streamAggregatedResources(metadataWith(authorization)));
  }

  static delta(
    port: number,
    authorization?: string,
  ): AuthStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
    const client = new AdsGrpcClient(`127.0.0.1:${port}`, credentials.createInsecure());
    return new AuthStream(client, client.deltaAggregatedResources(metadataWith(authorization)));
  }

  write(request: Req): void {
    this.#call.write(request);
  }

  next(timeoutMs = 5000): Promise<Res> {
    return this.responses.next(timeoutMs, 'response');
  }

  status(timeoutMs = 5000): Promise<StatusObject> {
    return this.statuses.next(timeoutMs, 'status');
  }

  close(): void {
    this.#call.cancel();
    this.#client.close();
  }
}

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
