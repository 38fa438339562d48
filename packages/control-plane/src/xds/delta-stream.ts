// Incremental (Delta) ADS: per-resource versions, subscribe/unsubscribe by name, removed_resources, and the
// proxy's initial_resource_versions so that a reconnecting proxy is sent only what changed.
import { create } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import {
  DeltaDiscoveryResponseSchema,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
} from '@heddle/xds';
import { AdsStream } from './ads-stream.ts';
import { contentVersion } from './content-version.ts';
import type { StreamContext } from './stream-context.ts';
import { selectResources, WILDCARD_NAME, type Subscription } from './subscription.ts';
import type { UndecodableRequest } from './tolerant-definition.ts';
import { XDS_TYPES, type XdsType } from './xds-types.ts';
import type { PushContext } from './xds-stream.ts';

interface DeltaWatch extends Subscription {
  /** Resource versions the proxy holds, by name. */
  readonly known: Map<string, string>;
}

interface PendingResponse {
  readonly typeUrl: string;
  readonly version: string;
}

/** Responses a proxy may leave unanswered before the oldest is forgotten (its ACK then counts as expired). */
const MAX_PENDING_PER_STREAM = 64;

export class DeltaStream extends AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  readonly #watches = new Map<string, DeltaWatch>();
  readonly #pending = new Map<string, PendingResponse>();
  /** Types whose request came before the first translation: answered (even if empty) once it arrives. */
  readonly #unanswered = new Set<string>();

  constructor(
    call: ServerDuplexStream<DeltaDiscoveryRequest | UndecodableRequest, DeltaDiscoveryResponse>,
    ctx: StreamContext,
  ) {
    super(call, ctx, 'delta');
  }

  protected handle(request: DeltaDiscoveryRequest, type: XdsType): void {
    if (request.responseNonce !== '') this.#answer(request, type);
    let watch = this.#watches.get(type.typeUrl);
    const first = !watch;
    if (!watch) {
      watch = {
        // Envoy's legacy wildcard: the first LDS/CDS request without names.
        wildcard: type.wildcard && request.resourceNamesSubscribe.length === 0,
        names: new Set(),
        known: new Map(Object.entries(request.initialResourceVersions)),
      };
      this.#watches.set(type.typeUrl, watch);
    }
    for (const name of request.resourceNamesSubscribe) {
      if (name === WILDCARD_NAME) watch.wildcard = true;
      else watch.names.add(name);
    }
    for (const name of request.resourceNamesUnsubscribe) {
      if (name === WILDCARD_NAME) {
        watch.wildcard = false;
        continue;
      }
      watch.names.delete(name);
      // The proxy drops an unsubscribed resource itself; no removal to send.
      watch.known.delete(name);
    }
    if (first || request.resourceNamesSubscribe.length > 0) this.#respond(type, true);
  }

  protected pushChanged(_context: PushContext): number {
    let sent = 0;
    for (const type of XDS_TYPES)
      if (this.#watches.has(type.typeUrl) && this.#respond(type, this.#unanswered.has(type.typeUrl))) sent++;
    return sent;
  }

  #answer(request: DeltaDiscoveryRequest, type: XdsType): void {
    const pending = this.#pending.get(request.responseNonce);
    if (!pending || pending.typeUrl !== type.typeUrl) {
      this.recordExpiredNonce(type);
      return;
    }
    this.#pending.delete(request.responseNonce);
    if (request.errorDetail) this.recordReject(type, request.responseNonce, pending.version, request);
    else this.recordAck(type, request.responseNonce, pending.version);
  }

  /** Sends what changed for the subscriber (forced: even when nothing did, to answer a request). */
  #respond(type: XdsType, force: boolean): boolean {
    const resources = this.resources;
    const watch = this.#watches.get(type.typeUrl);
    if (!watch) return false;
    if (!resources) {
      if (force) this.#unanswered.add(type.typeUrl);
      return false;
    }
    this.#unanswered.delete(type.typeUrl);
    const view = selectResources(resources.get(type.typeUrl), watch);
    const inView = new Set(view.map((resource) => resource.name));
    const changed = view.filter((resource) => watch.known.get(resource.name) !== resource.version);
    const removed = [...watch.known.keys()].filter((name) => !inView.has(name)).sort();
    if (!force && changed.length === 0 && removed.length === 0) return false;
    const version = contentVersion(view);
    const nonce = this.ctx.nextNonce();
    const response = create(DeltaDiscoveryResponseSchema, {
      systemVersionInfo: version,
      resources: changed.map((resource) => ({
        name: resource.name,
        version: resource.version,
        resource: resource.any,
      })),
      removedResources: removed,
      typeUrl: type.typeUrl,
      nonce,
      controlPlane: { identifier: this.ctx.controlPlaneIdentifier },
    });
    for (const resource of changed) watch.known.set(resource.name, resource.version);
    for (const name of removed) watch.known.delete(name);
    this.#remember(nonce, { typeUrl: type.typeUrl, version });
    const bytes = changed.reduce((sum, resource) => sum + resource.bytes.byteLength, 0);
    this.send(type, response, { version, nonce, resources: view, bytes });
    return true;
  }

  #remember(nonce: string, pending: PendingResponse): void {
    this.#pending.set(nonce, pending);
    if (this.#pending.size > MAX_PENDING_PER_STREAM) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
  }
}
