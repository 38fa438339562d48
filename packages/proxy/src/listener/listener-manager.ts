// LDS: compiles every listener of an update (all or nothing), binds the sockets of new and rebound listeners
// before the update is ACKed (a port that cannot be bound rejects the whole update, and the listeners in force
// keep serving), then diffs by name on commit — unchanged listeners are not touched, changed ones swap filter
// chains in place (or rebind when their address changed) and drain the old chains, removed ones stop and drain.
import { toBinary } from '@bufbuild/protobuf';
import { LISTENER_TYPE_URL } from '@heddle/xds';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { PrepareResult, ResourceHandler } from '../config/resource-handler.ts';
import type { NetworkFilterFactory } from '../filters/network/network-filter.ts';
import { BUILTIN_NETWORK_FILTERS } from '../filters/network/registry.ts';
import { findAddressConflict } from './address-conflicts.ts';
import { ActiveListener, chainsOf, type ListenerHost } from './active-listener.ts';
import { compileListener, type CompiledListener } from './compile-listener.ts';
import { describeListener } from './describe-listener.ts';
import type { ListenerDescription } from './listener-description.ts';
import { DEFAULT_DRAIN_TIMEOUT_MS, type ListenerManagerOptions } from './listener-manager-options.ts';
import { listenerManagerStats, type ListenerManagerStats } from './listener-manager-stats.ts';
import { unmapIpv4, type SocketAddressInfo } from './original-destination.ts';
import { addressesOverlap, bindAddressesOf, boundAddressesOf } from './port-handover.ts';
import { PendingUpdates, type PendingUpdate, type Plan } from './pending-updates.ts';
import type { DownstreamTls } from './tls/downstream-tls.ts';

export class ListenerManager implements ListenerHost {
  readonly handler: ResourceHandler<Listener>;
  readonly drainTimeoutMs: number;
  readonly #options: ListenerManagerOptions;
  readonly #factories: ReadonlyMap<string, NetworkFilterFactory>;
  readonly #stats: ListenerManagerStats;
  readonly #log: (message: string) => void;
  readonly #listeners = new Map<string, ActiveListener>();
  readonly #retiring = new Set<ActiveListener>();
  readonly #pending = new PendingUpdates();
  readonly #unsubscribe: () => void;
  #handoff = new Map<string, ActiveListener>();
  #binds: Promise<void>[] = [];
  #stopped = false;

  constructor(options: ListenerManagerOptions) {
    this.#options = options;
    this.drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    this.#factories = new Map([...BUILTIN_NETWORK_FILTERS, ...(options.networkFilters ?? [])]);
    this.#stats = listenerManagerStats(options.stats);
    this.#log = options.log ?? ((message) => console.warn(`[heddle proxy] ${message}`));
    this.#unsubscribe = options.secrets.onChange(() => this.#refreshTls());
    this.handler = {
      typeUrl: LISTENER_TYPE_URL,
      prepare: (resources) => this.#prepare(resources),
      dependencies: () => this.#routeConfigNames(),
    };
  }

  /** Listener name → the port it is actually bound to (port 0 in config gets one from the OS). */
  boundPorts(): ReadonlyMap<string, number> {
    const ports = new Map<string, number>();
    for (const [name, listener] of this.#listeners)
      if (listener.boundPort !== undefined) ports.set(name, listener.boundPort);
    return ports;
  }

  describe(): ListenerDescription[] {
    return [...this.#listeners.values()].map(describeListener);
  }

  /** Resolves when every bind started by the commits so far has succeeded or failed. */
  async ready(): Promise<void> {
    while (this.#binds.length > 0) await Promise.all(this.#binds.splice(0));
  }

  /** SDS secret names the current listeners' TLS contexts read. */
  secretNames(): string[] {
    const names = new Set<string>();
    for (const listener of this.#listeners.values())
      for (const chain of chainsOf(listener.config))
        for (const name of chain.tls?.secretNames ?? []) names.add(name);
    return [...names].sort();
  }

  /**
   * Stops accepting everywhere, lets connections finish, resolves when idle or at the drain deadline. Unlike an
   * update's drain, idle HTTP/1.1 connections close at once: the proxy is going away.
   */
  async drain(): Promise<void> {
    this.#stopped = true;
    this.#pending.discardAll();
    for (const listener of [...this.#listeners.values()]) this.#retire(listener, true);
    for (const listener of this.#retiring)
      for (const chain of chainsOf(listener.config)) chain.retire(this.drainTimeoutMs, true);
    const idle = Promise.all([...this.#retiring].map((listener) => listener.whenIdle()));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, this.drainTimeoutMs + 1000)),
    );
    await Promise.race([idle, deadline]);
    clearTimeout(timer);
    for (const listener of this.#retiring) listener.close();
  }

  /** Closes every listener and connection now. */
  async close(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe();
    this.#pending.discardAll();
    const all = [...this.#listeners.values(), ...this.#retiring];
    this.#listeners.clear();
    this.#retiring.clear();
    this.#handoff.clear();
    for (const listener of all) listener.close();
    await Promise.all(all.map((listener) => listener.whenIdle()));
  }

  handoffTarget(destination: SocketAddressInfo, from: ActiveListener): ActiveListener | undefined {
    const { address, port } = destination;
    const target =
      this.#handoff.get(`${address}|${port}`) ??
      this.#handoff.get(`${address.includes(':') ? '::' : '0.0.0.0'}|${port}`);
    return target === from ? undefined : target;
  }

  #prepare(resources: ReadonlyMap<string, Listener>): PrepareResult {
    const update = this.#pending.open();
    const plan: Plan = update.plan;
    const fail = (error: string): PrepareResult => {
      this.#pending.discard(update);
      return { error };
    };
    for (const [name, proto] of [...resources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      // A listener whose bind failed is built afresh, so pushing it again retries the bind.
      const found = this.#listeners.get(name);
      const current = found?.state === 'bind-failed' ? undefined : found;
      if (current && current.config.key === Buffer.from(toBinary(ListenerSchema, proto)).toString('latin1')) {
        plan.set(name, 'unchanged');
        continue;
      }
      const compiled = compileListener(name, proto, {
        stats: this.#options.stats,
        secrets: this.#options.secrets,
        factories: this.#factories,
        filterContext: {
          clusters: this.#options.clusters,
          stats: this.#options.stats,
          createHttp: this.#options.createHttp,
          tcpSessions: this.#options.tcpSessions ?? {},
          ...(this.#options.accessLogSinks ? { accessLogSinks: this.#options.accessLogSinks } : {}),
        },
        bindAddressOverride: this.#options.bindAddressOverride,
        reuseFrom: (bindKey) => (current?.config.bindKey === bindKey ? current.config : undefined),
        created: update.terminals,
      });
      if ('error' in compiled) return fail(compiled.error);
      plan.set(name, compiled);
    }
    const conflict = findAddressConflict(
      [...plan].flatMap(([name, entry]) => {
        const config = entry === 'unchanged' ? this.#listeners.get(name)?.config : entry;
        return config ? [config] : [];
      }),
    );
    if (conflict) return fail(conflict);
    const toBind = this.#socketsToBind(plan);
    // Nothing new to bind (chain or route changes): the update is ACKed at once, as before.
    if (toBind.length === 0) return { commit: () => this.#commit(update) };
    return {
      acquire: () => this.#acquire(update, toBind),
      commit: () => this.#commit(update),
    };
  }

  /**
   * The new and rebound listeners to bind before the ACK. A listener taking a port from one this update
   * retires is left to commit, once the old socket is closed.
   */
  #socketsToBind(plan: Plan): CompiledListener[] {
    const released = this.#releasedAddresses(plan);
    const toBind: CompiledListener[] = [];
    for (const [name, entry] of plan) {
      if (entry === 'unchanged' || !entry.bindToPort) continue;
      if (this.#keepsSockets(this.#listeners.get(name), entry)) continue;
      if (bindAddressesOf(entry).some((a) => released.some((b) => addressesOverlap(a, b)))) continue;
      toBind.push(entry);
    }
    return toBind;
  }

  /** True when `existing` keeps its sockets under `next` (same addresses, and bound): an in-place update. */
  #keepsSockets(existing: ActiveListener | undefined, next: CompiledListener): existing is ActiveListener {
    return (
      existing !== undefined && existing.state !== 'bind-failed' && existing.config.bindKey === next.bindKey
    );
  }

  /**
   * Binds the sockets of the update's new and rebound listeners; they hold their connections until commit.
   * When any cannot be bound, every socket this update bound is released and the error names each listener,
   * its address and the errno (Envoy's NACK).
   */
  async #acquire(update: PendingUpdate, toBind: readonly CompiledListener[]): Promise<string | undefined> {
    // An older update still waiting for commit is superseded by this one (or, if this one fails, binds at
    // its commit): its sockets go first, so this one may bind the same addresses.
    this.#pending.releaseSocketsExcept(update);
    if (this.#stopped) return undefined;
    const binding = toBind.map((entry) => new ActiveListener(entry, this, { staged: true }));
    for (const listener of binding) update.staged.set(listener.name, listener);
    await Promise.all(binding.map((listener) => listener.bind()));
    const failed = binding.filter((listener) => listener.state === 'bind-failed');
    for (const listener of binding)
      if (listener.state !== 'bind-failed') this.#stats.listenerCreateSuccess.inc();
    if (failed.length === 0) return undefined;
    this.#stats.listenerCreateFailure.inc(failed.length);
    this.#pending.discard(update);
    return failed
      .map((listener) => `listener ${listener.name}: ${listener.error ?? 'cannot bind'}`)
      .join('; ');
  }

  /** Addresses bound by listeners the plan removes or rebinds: free only once the update is committed. */
  #releasedAddresses(plan: Plan): { host: string; port: number }[] {
    const released: { host: string; port: number }[] = [];
    for (const [name, listener] of this.#listeners) {
      const entry = plan.get(name);
      if (entry === 'unchanged' || (entry && this.#keepsSockets(listener, entry))) continue;
      released.push(...boundAddressesOf(listener));
    }
    return released;
  }

  #commit(update: PendingUpdate): void {
    const plan = update.plan;
    // Superseded updates release their sockets and close their filter chains; this one goes live.
    this.#pending.commit(update);
    for (const [name, listener] of this.#listeners)
      if (!plan.has(name)) {
        this.#stats.listenerRemoved.inc();
        this.#retire(listener);
      }
    const unbound: ActiveListener[] = [];
    for (const [name, entry] of plan) {
      if (entry === 'unchanged') continue;
      const existing = this.#listeners.get(name);
      if (this.#keepsSockets(existing, entry)) {
        this.#stats.listenerModified.inc();
        this.#stats.listenerInPlaceUpdated.inc();
        existing.update(entry);
        continue;
      }
      if (existing) {
        this.#stats.listenerModified.inc();
        this.#retire(existing);
      } else {
        this.#stats.listenerAdded.inc();
      }
      const staged = update.staged.get(name);
      if (staged?.state === 'active' && !this.#stopped) {
        this.#listeners.set(name, staged);
        staged.start();
        continue;
      }
      staged?.release();
      const listener = new ActiveListener(entry, this);
      this.#listeners.set(name, listener);
      unbound.push(listener);
    }
    // Bound after every retirement, so a port moving between listeners in one update is free.
    if (!this.#stopped) for (const listener of unbound) this.#binds.push(this.#bindAtCommit(listener));
    this.#handoff = new Map();
    for (const listener of this.#listeners.values()) {
      const { bindToPort, address } = listener.config;
      if (!bindToPort) this.#handoff.set(`${unmapIpv4(address.host)}|${address.port}`, listener);
    }
    this.#stats.totalListenersActive.set(this.#listeners.size);
    // A secret that arrived between prepare and commit found no listener to refresh: contexts still
    // waiting for one are built now.
    this.#refreshTls((tls) => tls.contextError !== undefined);
  }

  /** A listener that could not bind before its update was ACKed (its port was ours until commit). */
  async #bindAtCommit(listener: ActiveListener): Promise<void> {
    await listener.bind();
    if (!listener.config.bindToPort) return;
    if (listener.state !== 'bind-failed') return this.#stats.listenerCreateSuccess.inc();
    this.#stats.listenerCreateFailure.inc();
    this.#log(`listener ${listener.name}: ${listener.error ?? 'cannot bind'}`);
  }

  #retire(listener: ActiveListener, closeIdle = false): void {
    if (this.#listeners.get(listener.name) === listener) this.#listeners.delete(listener.name);
    this.#retiring.add(listener);
    this.#stats.totalListenersDraining.set(this.#retiring.size);
    listener.retire(closeIdle);
    void listener.whenIdle().then(() => {
      listener.close();
      this.#retiring.delete(listener);
      this.#stats.totalListenersDraining.set(this.#retiring.size);
    });
  }

  #refreshTls(only?: (tls: DownstreamTls) => boolean): void {
    const seen = new Set<unknown>();
    for (const listener of [...this.#listeners.values(), ...this.#retiring])
      for (const chain of chainsOf(listener.config)) {
        const tls = chain.tls;
        if (!tls?.usesSecrets || seen.has(tls) || (only && !only(tls))) continue;
        seen.add(tls);
        tls.refresh(this.#options.secrets);
      }
  }

  #routeConfigNames(): string[] {
    const names = new Set<string>();
    for (const listener of this.#listeners.values())
      for (const chain of chainsOf(listener.config))
        for (const name of chain.terminal.routeConfigNames ?? []) names.add(name);
    return [...names].sort();
  }
}
