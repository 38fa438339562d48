// Many SotW ADS streams over a few gRPC channels, as a fleet of proxies behind a handful of connections: each
// stream subscribes to CDS with its own node and ACKs every response.
import { create } from '@bufbuild/protobuf';
import { credentials, makeGenericClientConstructor, type ClientDuplexStream } from '@grpc/grpc-js';
import {
  aggregatedDiscoveryServiceDefinition,
  CLUSTER_TYPE_URL,
  DiscoveryRequestSchema,
  type AggregatedDiscoveryServiceClient,
  type DiscoveryRequest,
  type DiscoveryResponse,
} from '@heddle/xds';

const AdsClient = makeGenericClientConstructor(
  aggregatedDiscoveryServiceDefinition,
  'AggregatedDiscoveryService',
) as unknown as new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options: Record<string, unknown>,
) => AggregatedDiscoveryServiceClient;

export interface FleetProxy {
  readonly namespace: string;
  /** CDS responses received, newest last. */
  readonly responses: DiscoveryResponse[];
}

export class StreamFleet {
  readonly proxies: FleetProxy[] = [];
  readonly #clients: AggregatedDiscoveryServiceClient[] = [];
  readonly #calls: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>[] = [];
  readonly #listeners = new Set<() => void>();

  /** Opens `count` streams spread over `channels` connections; namespaces are assigned round-robin. */
  constructor(port: number, count: number, channels: number, namespaces: readonly string[]) {
    for (let c = 0; c < channels; c++)
      this.#clients.push(
        new AdsClient(`127.0.0.1:${port}`, credentials.createInsecure(), {
          'grpc.use_local_subchannel_pool': 1,
        }),
      );
    for (let i = 0; i < count; i++) {
      const namespace = namespaces[i % namespaces.length] ?? 'default';
      const proxy: FleetProxy = { namespace, responses: [] };
      this.proxies.push(proxy);
      const client = this.#clients[i % channels] as AggregatedDiscoveryServiceClient;
      const call = client.streamAggregatedResources();
      this.#calls.push(call);
      call.on('error', () => {});
      call.on('data', (response: DiscoveryResponse) => {
        proxy.responses.push(response);
        call.write(
          create(DiscoveryRequestSchema, {
            typeUrl: CLUSTER_TYPE_URL,
            versionInfo: response.versionInfo,
            responseNonce: response.nonce,
          }),
        );
        for (const listener of this.#listeners) listener();
      });
      call.write(
        create(DiscoveryRequestSchema, {
          typeUrl: CLUSTER_TYPE_URL,
          node: {
            id: `sidecar~10.${Math.floor(i / 250)}.${i % 250}.1~proxy-${i}.${namespace}~${namespace}.svc.cluster.local`,
            metadata: { NAMESPACE: namespace },
          },
        }),
      );
    }
  }

  /** Resolves when `done` holds after a response (or at once); rejects after `timeoutMs`. */
  until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve();
      };
      this.#listeners.add(check);
    });
  }

  close(): void {
    for (const call of this.#calls) call.cancel();
    for (const client of this.#clients) client.close();
  }
}
