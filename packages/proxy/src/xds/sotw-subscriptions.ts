// State-of-the-World subscriptions on the ADS stream: per type the subscribed names, the accepted version and
// the last nonce. Responses are decoded, prepared, ACKed or NACKed, and committed in Envoy's order — clusters
// warm until their endpoints arrive, listeners until their route configurations do, and listeners are
// fetched only once the first cluster set is warm. An update that must take system resources first (listener
// sockets) is ACKed or NACKed only once it has them; responses that arrive meanwhile wait their turn.
import type { Message } from '@bufbuild/protobuf';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  RESOURCE_TYPE_URLS,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  type Cluster,
  type DiscoveryRequest,
  type DiscoveryResponse,
  type Listener,
  type Node,
} from '@heddle/xds';
import type { Logger } from '../admin/logger.ts';
import type { ConfigState } from '../config/config-state.ts';
import {
  isPrepareError,
  type PrepareResult,
  type PreparedUpdate,
  type ResourceHandler,
} from '../config/resource-handler.ts';
import type { StatsSink } from '../stats/stats-sink.ts';
import type { DecodedResource } from './decoded-resource.ts';
import { decodeResources } from './decode-resources.ts';
import { edsServiceNames, routeConfigNames } from './resource-dependencies.ts';
import { sdsSecretNames } from './secret-dependencies.ts';
import { versionHash } from './subscription-stats.ts';
import type { Timers } from './timers.ts';
import { createTypeChannel, discoveryRequest, type TypeChannel } from './type-channel.ts';

interface PendingRoot {
  readonly prepared: PreparedUpdate;
  readonly version: string;
  readonly resources: Map<string, DecodedResource>;
  readonly missing: ReadonlySet<string>;
  readonly timer: unknown;
}

/** A root type (CDS, LDS) and the type its resources name (EDS, RDS). */
interface Dependency {
  readonly root: TypeChannel;
  readonly leaf: TypeChannel | undefined;
  readonly names: (messages: Message[]) => string[];
  /** Clusters go in before their endpoints; route configurations before the listeners that use them. */
  readonly rootFirst: boolean;
  pending: PendingRoot | undefined;
}

export interface SotwSubscriptionsOptions {
  readonly node: Node;
  readonly handlers: readonly ResourceHandler[];
  readonly state: ConfigState;
  readonly stats: StatsSink;
  readonly logger: Logger;
  readonly timers: Timers;
  readonly now: () => Date;
  /** How long a new cluster (listener) set waits for its endpoints (route configurations): Envoy's 15 s. */
  readonly warmingTimeoutMs: number;
  readonly onReady: () => void;
  /** SDS names answered inside the proxy (the agent's `default`): never asked of the control plane. */
  readonly localSecrets?: ReadonlySet<string>;
}

const SUPPORTED: readonly string[] = [
  CLUSTER_TYPE_URL,
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
];

export class SotwSubscriptions {
  readonly #options: SotwSubscriptionsOptions;
  readonly #channels = new Map<string, TypeChannel>();
  readonly #cds: Dependency | undefined;
  readonly #lds: Dependency | undefined;
  #send: ((request: DiscoveryRequest) => void) | undefined;
  #nodeSent = false;
  #deferredListeners: DiscoveryResponse | undefined;
  #ready = false;
  /** An update is acquiring (its listeners binding): responses wait in `#queued`, in order. */
  #acquiring = false;
  readonly #queued: DiscoveryResponse[] = [];
  /** Bumped when the stream ends: an acquire that settles afterwards is dropped (the next stream resends). */
  #generation = 0;

  constructor(options: SotwSubscriptionsOptions) {
    this.#options = options;
    for (const handler of options.handlers) {
      if (!SUPPORTED.includes(handler.typeUrl))
        throw new Error(`the ADS client takes CDS, EDS, LDS, RDS and SDS handlers, not ${handler.typeUrl}`);
      if (this.#channels.has(handler.typeUrl)) throw new Error(`two handlers for ${handler.typeUrl}`);
      this.#channels.set(handler.typeUrl, createTypeChannel(handler, options.stats));
    }
    const cds = this.#channels.get(CLUSTER_TYPE_URL);
    const lds = this.#channels.get(LISTENER_TYPE_URL);
    this.#cds = cds && {
      root: cds,
      leaf: this.#channels.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL),
      names: (messages) => edsServiceNames(messages as Cluster[]),
      rootFirst: true,
      pending: undefined,
    };
    this.#lds = lds && {
      root: lds,
      leaf: this.#channels.get(ROUTE_CONFIGURATION_TYPE_URL),
      names: (messages) => routeConfigNames(messages as Listener[]),
      rootFirst: false,
      pending: undefined,
    };
    // Envoy asks for listeners only once the first cluster set is warm.
    if (cds) cds.active = true;
    else if (lds) lds.active = true;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** A new stream: every active subscription again, with the versions accepted so far. */
  streamOpened(send: (request: DiscoveryRequest) => void): void {
    this.#send = send;
    this.#nodeSent = false;
    for (const channel of this.#ordered()) {
      channel.nonce = '';
      if (channel.active) this.#request(channel);
    }
  }

  streamClosed(): void {
    this.#send = undefined;
    this.#generation++;
    this.#queued.length = 0;
    // Held-back listeners came with the old stream's nonce; the new stream sends them again.
    this.#deferredListeners = undefined;
    for (const channel of this.#channels.values()) if (channel.active) channel.stats.failure.inc();
  }

  handle(response: DiscoveryResponse): void {
    if (this.#acquiring) {
      this.#queued.push(response);
      return;
    }
    const channel = this.#channels.get(response.typeUrl);
    if (!channel) {
      this.#options.logger.warn(`ignoring an ADS response for unsubscribed type ${response.typeUrl}`);
      return;
    }
    channel.nonce = response.nonce;
    if (channel === this.#lds?.root && this.#cds?.pending) {
      // Listeners may name clusters that are still warming: they wait for the cluster set.
      this.#deferredListeners = response;
    } else {
      this.#process(channel, response);
    }
    this.#advance();
  }

  close(): void {
    for (const dependency of [this.#cds, this.#lds]) if (dependency) this.#dropPending(dependency);
    this.#send = undefined;
    this.#generation++;
    this.#queued.length = 0;
  }

  #process(channel: TypeChannel, response: DiscoveryResponse): void {
    channel.stats.attempt.inc();
    const decoded = decodeResources(channel.typeUrl, response.resources);
    if (decoded.error !== undefined) return this.#nack(channel, response, decoded.error);
    if (channel === this.#cds?.root) return this.#processRoot(this.#cds, response, decoded.resources);
    if (channel === this.#lds?.root) return this.#processRoot(this.#lds, response, decoded.resources);
    const merged = new Map<string, DecodedResource>();
    // Non-wildcard types may arrive a few at a time: what is not in this response stays as it was.
    for (const name of channel.names) {
      const resource = decoded.resources.get(name) ?? channel.accepted.get(name);
      if (resource) merged.set(name, resource);
    }
    this.#processLeaf(channel, response, merged);
  }

  #processRoot(
    dependency: Dependency,
    response: DiscoveryResponse,
    resources: Map<string, DecodedResource>,
  ): void {
    const result = this.#prepare(dependency.root, resources);
    // A rejected update leaves a warming one alone; an accepted one replaces it.
    if (isPrepareError(result)) return this.#nack(dependency.root, response, result.error, resources);
    if (!result.acquire) return this.#acceptRoot(dependency, response, resources, result);
    this.#acquiring = true;
    const generation = this.#generation;
    void result
      .acquire()
      .catch((error: unknown) => `${dependency.root.kind} update failed: ${String(error)}`)
      .then((error) => {
        this.#acquiring = false;
        if (generation === this.#generation) {
          try {
            if (error !== undefined) this.#nack(dependency.root, response, error, resources);
            else this.#acceptRoot(dependency, response, resources, result);
            this.#advance();
          } catch (failure) {
            this.#options.logger.error(
              `applying ${dependency.root.kind} version ${response.versionInfo} failed: ${String(failure)}`,
            );
          }
        }
        this.#handleQueued();
      });
  }

  /** Responses that arrived while an update was acquiring, in order, until one acquires again. */
  #handleQueued(): void {
    while (!this.#acquiring) {
      const next = this.#queued.shift();
      if (!next) return;
      try {
        this.handle(next);
      } catch (error) {
        this.#options.logger.error(
          `applying ${next.typeUrl} version ${next.versionInfo} failed: ${String(error)}`,
        );
      }
    }
  }

  /** ACKs a prepared (and acquired) root update, then commits it or lets it warm for its leaf resources. */
  #acceptRoot(
    dependency: Dependency,
    response: DiscoveryResponse,
    resources: Map<string, DecodedResource>,
    result: PreparedUpdate,
  ): void {
    const { root, leaf } = dependency;
    this.#dropPending(dependency);
    root.version = response.versionInfo;
    this.#ack(root, response.nonce);
    if (!leaf) return this.#apply(root, result, response.versionInfo, resources);
    const names = dependency.names(messages(resources));
    if (!sameNames(names, leaf.names)) {
      leaf.names = names;
      const subscribed = new Set(names);
      leaf.gaveUp = new Set([...leaf.gaveUp].filter((name) => subscribed.has(name)));
      if (leaf.active || names.length > 0) this.#request(leaf);
      leaf.active = names.length > 0;
    }
    const missing = names.filter((name) => !leaf.accepted.has(name) && !leaf.gaveUp.has(name));
    if (missing.length === 0) return this.#apply(root, result, response.versionInfo, resources);
    const { timers, warmingTimeoutMs, state, now } = this.#options;
    dependency.pending = {
      prepared: result,
      version: response.versionInfo,
      resources,
      missing: new Set(missing),
      timer: timers.setTimeout(() => this.#warmingTimedOut(dependency), warmingTimeoutMs),
    };
    state.warm(root.typeUrl, response.versionInfo, resources.values(), now());
  }

  #processLeaf(
    leaf: TypeChannel,
    response: DiscoveryResponse,
    resources: Map<string, DecodedResource>,
  ): void {
    const dependency =
      this.#cds?.leaf === leaf ? this.#cds : this.#lds?.leaf === leaf ? this.#lds : undefined;
    const pending = dependency?.pending;
    const covered = pending !== undefined && [...pending.missing].every((name) => resources.has(name));
    if (dependency && covered && dependency.rootFirst) this.#commitPending(dependency);
    const result = this.#prepare(leaf, resources);
    if (isPrepareError(result)) this.#nack(leaf, response, result.error, resources);
    else {
      leaf.version = response.versionInfo;
      this.#apply(leaf, result, response.versionInfo, resources);
      this.#ack(leaf, response.nonce);
    }
    // A rejected route configuration does not hold listeners back for ever (Envoy ends their warming too).
    if (dependency && covered && !dependency.rootFirst && dependency.pending === pending)
      this.#commitPending(dependency);
  }

  #warmingTimedOut(dependency: Dependency): void {
    const pending = dependency.pending;
    const leaf = dependency.leaf;
    if (!pending || !leaf) return;
    for (const name of pending.missing) if (!leaf.accepted.has(name)) leaf.gaveUp.add(name);
    leaf.stats.initFetchTimeout.inc();
    this.#options.logger.warn(
      `${dependency.root.kind} update ${pending.version} stopped waiting for ${leaf.kind} ${[...pending.missing].join(', ')}`,
    );
    this.#commitPending(dependency);
    if (dependency.rootFirst && leaf.committed) {
      // Endpoints that arrived while the clusters warmed are handed over again, now that the clusters exist.
      const subscribed = new Set(leaf.names);
      const current = new Map([...leaf.accepted].filter(([name]) => subscribed.has(name)));
      const result = this.#prepare(leaf, current);
      if (isPrepareError(result))
        this.#options.logger.error(`re-applying ${leaf.kind} failed: ${result.error}`);
      else this.#apply(leaf, result, leaf.version, current);
    }
    this.#advance();
  }

  /** Moves on once clusters are warm: subscribe to listeners, apply held-back listeners, report readiness. */
  #advance(): void {
    // The acquiring update advances once it settles.
    if (this.#acquiring || this.#cds?.pending) return;
    const lds = this.#lds?.root;
    if (lds && !lds.active && (!this.#cds || this.#cds.root.committed)) {
      lds.active = true;
      this.#request(lds);
    }
    const deferred = this.#deferredListeners;
    if (deferred && lds) {
      this.#deferredListeners = undefined;
      this.#process(lds, deferred);
      if (this.#acquiring) return;
    }
    if (this.#ready) return;
    for (const dependency of [this.#cds, this.#lds])
      if (dependency && (!dependency.root.committed || dependency.pending)) return;
    this.#ready = true;
    this.#options.onReady();
  }

  #commitPending(dependency: Dependency): void {
    const pending = dependency.pending;
    if (!pending) return;
    this.#options.timers.clearTimeout(pending.timer);
    dependency.pending = undefined;
    this.#apply(dependency.root, pending.prepared, pending.version, pending.resources);
  }

  #apply(
    channel: TypeChannel,
    prepared: PreparedUpdate,
    version: string,
    resources: Map<string, DecodedResource>,
  ): void {
    prepared.commit();
    channel.accepted = resources;
    channel.committed = true;
    const at = this.#options.now();
    this.#options.state.accept(channel.typeUrl, version, resources.values(), at);
    channel.stats.success.inc();
    channel.stats.version.set(versionHash(version));
    channel.stats.updateTime.set(at.getTime());
    this.#options.logger.debug(`applied ${channel.kind} version ${version} (${resources.size} resources)`);
    if (channel === this.#cds?.root || channel === this.#lds?.root) this.#subscribeSecrets();
  }

  /** SDS follows the clusters and listeners in force: the secrets their TLS contexts name. */
  #subscribeSecrets(): void {
    const sds = this.#channels.get(SECRET_TYPE_URL);
    if (!sds) return;
    const local = this.#options.localSecrets ?? new Set<string>();
    const names = sdsSecretNames(
      this.#cds ? (messages(this.#cds.root.accepted) as Cluster[]) : [],
      this.#lds ? (messages(this.#lds.root.accepted) as Listener[]) : [],
    ).filter((name) => !local.has(name));
    if (sameNames(names, sds.names)) return;
    sds.names = names;
    if (sds.active || names.length > 0) this.#request(sds);
    sds.active = names.length > 0;
  }

  #dropPending(dependency: Dependency): void {
    if (!dependency.pending) return;
    this.#options.timers.clearTimeout(dependency.pending.timer);
    dependency.pending = undefined;
  }

  #prepare(channel: TypeChannel, resources: Map<string, DecodedResource>): PrepareResult {
    const byName = new Map<string, Message>();
    for (const [name, resource] of resources) byName.set(name, resource.message);
    try {
      return channel.handler.prepare(byName);
    } catch (error) {
      return {
        error: `${channel.kind} handler failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  #ack(channel: TypeChannel, nonce: string): void {
    this.#write(channel, nonce);
  }

  #nack(
    channel: TypeChannel,
    response: DiscoveryResponse,
    error: string,
    resources?: ReadonlyMap<string, DecodedResource>,
  ): void {
    channel.stats.rejected.inc();
    const at = this.#options.now();
    this.#options.state.reject(channel.typeUrl, {
      version: response.versionInfo,
      details: error,
      at,
      ...(resources ? { resources } : {}),
    });
    this.#options.logger.warn(`rejected ${channel.kind} version ${response.versionInfo}: ${error}`);
    this.#write(channel, response.nonce, error);
  }

  #request(channel: TypeChannel): void {
    this.#write(channel, channel.nonce);
  }

  #write(channel: TypeChannel, nonce: string, error?: string): void {
    const send = this.#send;
    if (!send) return;
    // The node goes with the first request of each stream only.
    const node = this.#nodeSent ? undefined : this.#options.node;
    this.#nodeSent = true;
    send(
      discoveryRequest(channel, nonce, {
        ...(error !== undefined ? { error } : {}),
        ...(node ? { node } : {}),
      }),
    );
  }

  #ordered(): TypeChannel[] {
    return RESOURCE_TYPE_URLS.flatMap((typeUrl) => {
      const channel = this.#channels.get(typeUrl);
      return channel ? [channel] : [];
    });
  }
}

function messages(resources: Map<string, DecodedResource>): Message[] {
  return [...resources.values()].map((resource) => resource.message);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}
