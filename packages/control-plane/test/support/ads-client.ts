// A real @grpc/grpc-js ADS client for tests: SotW or Delta, with awaitable responses and final status.
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
import { MessageQueue } from './message-queue.ts';

const AdsClient = makeGenericClientConstructor(
  aggregatedDiscoveryServiceDefinition,
  'AggregatedDiscoveryService',
) as unknown as new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
) => AggregatedDiscoveryServiceClient;

class TestStream<Req, Res> {
  readonly responses = new MessageQueue<Res>();
  readonly statuses = new MessageQueue<StatusObject>();
  readonly #call: ClientDuplexStream<Req, Res>;
  readonly #client: AggregatedDiscoveryServiceClient;

  constructor(client: AggregatedDiscoveryServiceClient, call: ClientDuplexStream<Req, Res>) {
    this.#client = client;
    this.#call = call;
    call.on('data', (response: Res) => this.responses.push(response));
    call.on('status', (status: StatusObject) => this.statuses.push(status));
    // The status event carries the outcome; the error event would otherwise be unhandled.
    call.on('error', () => {});
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

/** The stream's `authorization` header, sent as given (undefined: none). */
function streamMetadata(authorization: string | undefined): Metadata {
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  return metadata;
}

/** `Bearer <token>` when a join token is given (a control plane with its CA asks for one). */
const bearer = (token: string | undefined): string | undefined =>
  token === undefined ? undefined : `Bearer ${token}`;

export class SotwClient extends TestStream<DiscoveryRequest, DiscoveryResponse> {
  /** `authorization`, when given, is sent as written instead of `Bearer <token>` (malformed headers). */
  constructor(port: number, token?: string, authorization = bearer(token)) {
    const client = new AdsClient(`127.0.0.1:${port}`, credentials.createInsecure());
    super(client, client.streamAggregatedResources(streamMetadata(authorization)));
  }

  send(init: MessageInitShape<typeof DiscoveryRequestSchema>): void {
    this.write(create(DiscoveryRequestSchema, init));
  }
}

export class DeltaClient extends TestStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  /** `authorization`, when given, is sent as written instead of `Bearer <token>` (malformed headers). */
  constructor(port: number, token?: string, authorization = bearer(token)) {
    const client = new AdsClient(`127.0.0.1:${port}`, credentials.createInsecure());
    super(client, client.deltaAggregatedResources(streamMetadata(authorization)));
  }

  send(init: MessageInitShape<typeof DeltaDiscoveryRequestSchema>): void {
    this.write(create(DeltaDiscoveryRequestSchema, init));
  }
}

/** An Istio-style sidecar node. */
export function sidecarXdsNode(name: string, namespace: string, ip = '10.0.0.1') {
  return {
    id: `sidecar~${ip}~${name}.${namespace}~${namespace}.svc.cluster.local`,
    metadata: { NAMESPACE: namespace, LABELS: { app: name }, ISTIO_VERSION: '1.24.0' },
  };
}
