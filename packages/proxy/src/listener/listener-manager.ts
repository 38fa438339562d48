// LDS: compiles every listener of an update (all or nothing), then diffs by name — new listeners bind, changed
// ones swap filter chains in place (or rebind when their address changed), removed ones stop and drain.
import { toBinary } from '@bufbuild/protobuf';
import { LISTENER_TYPE_URL } from '@heddle/xds';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { PrepareResult, ResourceHandler } from '../config/resource-handler.ts';
import type { NetworkFilterFactory, TerminalNetworkFilter } from '../filters/network/network-filter.ts';
import { BUILTIN_NETWORK_FILTERS } from '../filters/network/registry.ts';
import { findAddressConflict } from './address-conflicts.ts';
import { ActiveListener, chainsOf, type ListenerHost } from './active-listener.ts';
import { compileListener, type CompiledListener } from './compile-listener.ts';
import { describeListener } from './describe-listener.ts';
import type { ListenerDescription } from './listener-description.ts';
import { DEFAULT_DRAIN_TIMEOUT_MS, type ListenerManagerOptions } from './listener-manager-options.ts';
import { unmapIpv4, type SocketAddressInfo } from './original-destination.ts';
import type { DownstreamTls } from './tls/downstream-tls.ts';

type Plan = Map<string, CompiledListener | 'unchanged'>;

export class ListenerManager implements ListenerHost {
  readonly handler: ResourceHandler<Listener>;
  readonly drainTimeoutMs: number;
  readonly #options: ListenerManagerOptions;
  readonly #factories: ReadonlyMap<string, NetworkFilterFactory>;
  readonly #listeners = new Map<string, ActiveListener>();
  readonly #retiring = new Set<ActiveListener>();
  readonly #unsubscribe: () => void;
  #handoff = new Map<string, ActiveListener>();
  #binds: Promise<void>[] = [];
  #uncommitted: TerminalNetworkFilter[] = [];
  #stopped = false;

  constructor(options: ListenerManagerOptions) {
    this.#options = options;
    this.drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    this.#factories = new Map([...BUILTIN_NETWORK_FILTERS, ...(options.networkFilters ?? [])]);
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

  /** Stops accepting everywhere, lets connections finish, resolves when idle or at the drain deadline. */
  async drain(): Promise<void> {
    this.#stopped = true;
    for (const listener of [...this.#listeners.values()]) this.#retire(listener);
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
    for (const terminal of this.#uncommitted.splice(0)) terminal.close();
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
    for (const terminal of this.#uncommitted.splice(0)) terminal.close();
    const created: TerminalNetworkFilter[] = [];
    const plan: Plan = new Map();
    const fail = (error: string): PrepareResult => {
      for (const terminal of created) terminal.close();
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
        },
        bindAddressOverride: this.#options.bindAddressOverride,
        reuseFrom: (bindKey) => (current?.config.bindKey === bindKey ? current.config : undefined),
        created,
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
    this.#uncommitted = created;
    return {
      commit: () => {
        this.#uncommitted = [];
        this.#commit(plan);
      },
    };
  }

  #commit(plan: Plan): void {
    for (const [name, listener] of this.#listeners) if (!plan.has(name)) this.#retire(listener);
    const added: ActiveListener[] = [];
    for (const [name, entry] of plan) {
      if (entry === 'unchanged') continue;
      const existing = this.#listeners.get(name);
      if (existing && existing.state !== 'bind-failed' && existing.config.bindKey === entry.bindKey) {
        existing.update(entry);
        continue;
      }
      if (existing) this.#retire(existing);
      const listener = new ActiveListener(entry, this);
      this.#listeners.set(name, listener);
      added.push(listener);
    }
    // Bind after every retirement, so a port moving between listeners in one update is free.
    if (!this.#stopped) for (const listener of added) this.#binds.push(listener.bind());
    this.#handoff = new Map();
    for (const listener of this.#listeners.values()) {
      const { bindToPort, address } = listener.config;
      if (!bindToPort) this.#handoff.set(`${unmapIpv4(address.host)}|${address.port}`, listener);
    }
    // A secret that arrived between prepare and commit found no listener to refresh: contexts still
    // waiting for one are built now.
    this.#refreshTls((tls) => tls.contextError !== undefined);
  }

  #retire(listener: ActiveListener): void {
    if (this.#listeners.get(listener.name) === listener) this.#listeners.delete(listener.name);
    this.#retiring.add(listener);
    listener.retire();
    void listener.whenIdle().then(() => {
      listener.close();
      this.#retiring.delete(listener);
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
