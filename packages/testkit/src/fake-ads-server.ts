// A State-of-the-World ADS server for proxy tests: serves settable resources per type, records every request
// (ACKs, NACKs with their error_detail), pushes updates, and can drop streams or stop and restart on its port.
import { create, type Message } from '@bufbuild/protobuf';
import { anyPack, anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import { Server, ServerCredentials, status, type ServerDuplexStream } from '@grpc/grpc-js';
import {
  aggregatedDiscoveryServiceDefinition,
  CLUSTER_TYPE_URL,
  DiscoveryResponseSchema,
  LISTENER_TYPE_URL,
  xdsRegistry,
  type DiscoveryRequest,
  type DiscoveryResponse,
  type Node,
} from '@heddle/xds';

export interface RecordedRequest {
  /** 1, 2, … for each stream the server accepted, across restarts. */
  readonly stream: number;
  readonly typeUrl: string;
  readonly versionInfo: string;
  readonly resourceNames: readonly string[];
  readonly responseNonce: string;
  readonly errorDetail?: { readonly code: number; readonly message: string };
  readonly node?: Node;
  /** An ACK or NACK of a response (it carries a nonce); NACKs have an errorDetail. */
  readonly kind: 'request' | 'ack' | 'nack';
}

export interface FakeAdsServerOptions {
  /** Port to bind (0 picks one). */
  readonly port?: number;
}

interface StoredResource {
  readonly name: string;
  readonly any: Any;
}

interface StreamState {
  readonly id: number;
  readonly call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  readonly subscriptions: Map<string, { readonly wildcard: boolean; readonly names: ReadonlySet<string> }>;
  readonly sentNonce: Map<string, string>;
}

interface Waiter {
  readonly predicate: (request: RecordedRequest) => boolean;
  readonly resolve: (request: RecordedRequest) => void;
}

export class FakeAdsServer {
  readonly requests: RecordedRequest[] = [];
  readonly #resources = new Map<string, StoredResource[]>();
  readonly #versions = new Map<string, number>();
  readonly #held = new Set<string>();
  readonly #streams = new Set<StreamState>();
  readonly #waiters = new Set<Waiter>();
  #server: Server | undefined;
  #port = 0;
  #streamCount = 0;
  #nonce = 0;

  static async start(options: FakeAdsServerOptions = {}): Promise<FakeAdsServer> {
    const server = new FakeAdsServer();
    await server.#listen(options.port ?? 0);
    return server;
  }

  get port(): number {
    return this.#port;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** Streams currently open. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Streams accepted since the start, across restarts. */
  get totalStreams(): number {
    return this.#streamCount;
  }

  /** Replaces the resources of a type (messages or Anys), bumps its version and pushes it to subscribers. */
  setResources(typeUrl: string, resources: readonly (Message | Any)[]): string {
    this.#resources.set(typeUrl, resources.map(store));
    const version = (this.#versions.get(typeUrl) ?? 0) + 1;
    this.#versions.set(typeUrl, version);
    if (!this.#held.has(typeUrl)) for (const stream of this.#streams) this.#respond(stream, typeUrl);
    return String(version);
  }

  /** Responses of this type wait (requests are still recorded) until `release`. */
  hold(typeUrl: string): void {
    this.#held.add(typeUrl);
  }

  /** Sends the held type to every stream subscribed to it. */
  release(typeUrl: string): void {
    this.#held.delete(typeUrl);
    for (const stream of this.#streams) this.#respond(stream, typeUrl);
  }

  version(typeUrl: string): string {
    return String(this.#versions.get(typeUrl) ?? 0);
  }

  acks(typeUrl?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'ack' && (typeUrl === undefined || r.typeUrl === typeUrl));
  }

  nacks(typeUrl?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'nack' && (typeUrl === undefined || r.typeUrl === typeUrl));
  }

  /** The first request, recorded or still to come, that satisfies `predicate`. */
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (request) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(request);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no matching ADS request within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Ends every open stream with UNAVAILABLE; the server keeps listening. */
  drop(details = 'dropped by the fake ADS server'): void {
    for (const stream of [...this.#streams]) {
      this.#streams.delete(stream);
      stream.call.emit('error', { code: status.UNAVAILABLE, details });
    }
  }

  /** Stops listening and kills every stream; `restart` listens again on the same port. */
  stop(): Promise<void> {
    this.#streams.clear();
    const server = this.#server;
    this.#server = undefined;
    server?.forceShutdown();
    return Promise.resolve();
  }

  restart(): Promise<void> {
    return this.#listen(this.#port);
  }

  close(): Promise<void> {
    for (const waiter of this.#waiters) this.#waiters.delete(waiter);
    return this.stop();
  }

  async #listen(port: number): Promise<void> {
    const server = new Server();
    server.addService(aggregatedDiscoveryServiceDefinition, {
      streamAggregatedResources: (call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) =>
        this.#accept(call),
      deltaAggregatedResources: (call: ServerDuplexStream<unknown, unknown>) =>
        call.emit('error', { code: status.UNIMPLEMENTED, details: 'the fake ADS server speaks SotW only' }),
    });
    this.#port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.#server = server;
  }

  #accept(call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>): void {
    const stream: StreamState = {
      id: ++this.#streamCount,
      call,
      subscriptions: new Map(),
      sentNonce: new Map(),
    };
    this.#streams.add(stream);
    call.on('data', (request: DiscoveryRequest) => this.#onRequest(stream, request));
    call.on('end', () => {
      this.#streams.delete(stream);
      call.end();
    });
    call.on('error', () => this.#streams.delete(stream));
    call.on('cancelled', () => this.#streams.delete(stream));
  }

  #onRequest(stream: StreamState, request: DiscoveryRequest): void {
    const nonce = request.responseNonce;
    const recorded: RecordedRequest = {
      stream: stream.id,
      typeUrl: request.typeUrl,
      versionInfo: request.versionInfo,
      resourceNames: [...request.resourceNames],
      responseNonce: nonce,
      ...(request.errorDetail
        ? { errorDetail: { code: request.errorDetail.code, message: request.errorDetail.message } }
        : {}),
      ...(request.node ? { node: request.node } : {}),
      kind: nonce === '' ? 'request' : request.errorDetail ? 'nack' : 'ack',
    };
    this.requests.push(recorded);
    for (const waiter of [...this.#waiters]) if (waiter.predicate(recorded)) waiter.resolve(recorded);
    const wildcard =
      request.resourceNames.includes('*') ||
      (request.resourceNames.length === 0 &&
        (request.typeUrl === CLUSTER_TYPE_URL || request.typeUrl === LISTENER_TYPE_URL));
    const next = { wildcard, names: new Set(request.resourceNames.filter((name) => name !== '*')) };
    const current = stream.subscriptions.get(request.typeUrl);
    if (nonce !== '' && nonce !== stream.sentNonce.get(request.typeUrl)) return;
    if (nonce !== '' && current && sameSubscription(current, next)) return;
    stream.subscriptions.set(request.typeUrl, next);
    this.#respond(stream, request.typeUrl);
  }

  #respond(stream: StreamState, typeUrl: string): void {
    const subscription = stream.subscriptions.get(typeUrl);
    if (!subscription || this.#held.has(typeUrl) || !this.#streams.has(stream)) return;
    const resources = (this.#resources.get(typeUrl) ?? []).filter(
      (resource) => subscription.wildcard || subscription.names.has(resource.name),
    );
    const nonce = `n${++this.#nonce}`;
    stream.sentNonce.set(typeUrl, nonce);
    stream.call.write(
      create(DiscoveryResponseSchema, {
        versionInfo: this.version(typeUrl),
        typeUrl,
        nonce,
        resources: resources.map((resource) => resource.any),
      }),
    );
  }
}

function sameSubscription(
  a: { readonly wildcard: boolean; readonly names: ReadonlySet<string> },
  b: { readonly wildcard: boolean; readonly names: ReadonlySet<string> },
): boolean {
  return (
    a.wildcard === b.wildcard && a.names.size === b.names.size && [...a.names].every((n) => b.names.has(n))
  );
}

function store(resource: Message | Any): StoredResource {
  let any: Any;
  if (resource.$typeName === 'google.protobuf.Any') any = resource as Any;
  else {
    const schema = xdsRegistry.getMessage(resource.$typeName);
    if (!schema) throw new Error(`${resource.$typeName} is not an xDS type`);
    any = anyPack(schema, resource);
  }
  let message: Message | undefined;
  try {
    message = anyUnpack(any, xdsRegistry);
  } catch {
    message = undefined;
  }
  const fields = (message ?? {}) as { readonly name?: unknown; readonly clusterName?: unknown };
  const name = typeof fields.clusterName === 'string' ? fields.clusterName : fields.name;
  return { name: typeof name === 'string' ? name : '', any };
}
