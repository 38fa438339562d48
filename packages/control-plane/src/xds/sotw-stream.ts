// State-of-the-World ADS: per type a content-hash version and a nonce per response; ACKs, NACKs and
// subscription changes come back as requests, and a type is resent only when what its subscriber sees changed.
import { create } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { DiscoveryResponseSchema, type DiscoveryRequest, type DiscoveryResponse } from '@heddle/xds';
import { contentVersion } from './content-version.ts';
import { AdsStream } from './ads-stream.ts';
import type { StreamContext } from './stream-context.ts';
import {
  sameSubscription,
  selectResources,
  subscriptionFromNames,
  type Subscription,
} from './subscription.ts';
import type { UndecodableRequest } from './tolerant-definition.ts';
import { XDS_TYPES, type XdsType } from './xds-types.ts';
import type { PushContext } from './xds-stream.ts';

export class SotwStream extends AdsStream<DiscoveryRequest, DiscoveryResponse> {
  readonly #subscriptions = new Map<string, Subscription>();

  constructor(
    call: ServerDuplexStream<DiscoveryRequest | UndecodableRequest, DiscoveryResponse>,
    ctx: StreamContext,
  ) {
    super(call, ctx, 'sotw');
  }

  protected handle(request: DiscoveryRequest, type: XdsType): void {
    const requested = subscriptionFromNames(type, request.resourceNames);
    const current = this.#subscriptions.get(type.typeUrl);
    if (request.responseNonce !== '') {
      const sync = this.sync.get(type.typeUrl);
      if (!current || request.responseNonce !== sync?.sentNonce) {
        // Answers a response that a newer one has superseded; the proxy will answer that one too.
        this.recordExpiredNonce(type);
        return;
      }
      const version = sync.sentVersion ?? '';
      if (request.errorDetail) {
        this.recordReject(type, request.responseNonce, version, request);
        return;
      }
      this.recordAck(type, request.responseNonce, version);
      if (sameSubscription(current, requested)) return;
    }
    // A first request for the type, a reconnecting proxy, or a changed subscription: answer at once.
    this.#subscriptions.set(type.typeUrl, requested);
    this.#respond(type, true);
  }

  protected pushChanged(_context: PushContext): number {
    let sent = 0;
    for (const type of XDS_TYPES)
      if (this.#subscriptions.has(type.typeUrl) && this.#respond(type, false)) sent++;
    return sent;
  }

  /** Sends the subscriber's view of `type` when forced or when its version differs from the last one sent. */
  #respond(type: XdsType, force: boolean): boolean {
    const resources = this.resources;
    const subscription = this.#subscriptions.get(type.typeUrl);
    // Without a translation yet, the answer waits for the first successful push.
    if (!resources || !subscription) return false;
    const view = selectResources(resources.get(type.typeUrl), subscription);
    const version = contentVersion(view);
    if (!force && this.sync.get(type.typeUrl)?.sentVersion === version) return false;
    const nonce = this.ctx.nextNonce();
    const response = create(DiscoveryResponseSchema, {
      versionInfo: version,
      resources: view.map((resource) => resource.any),
      typeUrl: type.typeUrl,
      nonce,
      controlPlane: { identifier: this.ctx.controlPlaneIdentifier },
    });
    const bytes = view.reduce((sum, resource) => sum + resource.bytes.byteLength, 0);
    this.send(type, response, { version, nonce, resources: view, bytes });
    return true;
  }
}
