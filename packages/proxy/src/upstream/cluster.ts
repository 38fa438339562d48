// One live cluster: its hosts (from EDS, inline, DNS or the request), the load balancer built over them,
// circuit breakers, outlier detection and per-host connection pools, behind the ClusterView the router and
// tcp_proxy use.
import type { Duplex } from 'node:stream';
import type {
  AttemptOutcome,
  ClusterView,
  LoadBalancerContext,
  ResourceGuard,
  UpstreamAttempt,
  UpstreamHost,
  UpstreamHttpRequest,
} from './cluster-view.ts';
import { CircuitBreakers } from './circuit-breakers.ts';
import { ClusterStats } from './cluster-stats.ts';
import type { CompiledCluster } from './config/compiled-cluster.ts';
import type { EndpointSpec } from './config/endpoint-spec.ts';
import { socketFor, transportSecretNames } from './config/transport-config.ts';
import { type ClusterDescription, describeHost } from './describe.ts';
import { DnsRefresher } from './discovery/dns-refresher.ts';
import type { DnsResolver } from './discovery/dns-resolver.ts';
import { OriginalDstHosts } from './discovery/original-dst-hosts.ts';
import type { Host } from './host/host.ts';
import { nextMembership } from './host/membership.ts';
import { requestStarted } from './host/request-accounting.ts';
import type { PickerEnv } from './lb/host-picker.ts';
import { buildLbState, type LbState } from './lb/lb-state.ts';
import { isHashPolicy } from './lb/picker-factory.ts';
import { Hash64, xxhash64 } from './lb/xxhash64.ts';
import { OutlierDetector } from './outlier/outlier-detector.ts';
import { HostPools } from './pool/host-pools.ts';
import type { PoolEnv } from './pool/pool-env.ts';
import { connectTcp } from './pool/tcp-connect.ts';
import { TransportResolver } from './pool/transport-resolver.ts';
import type { SecretProvider } from './secret-provider.ts';
import type { StatsSink } from '../stats/stats-sink.ts';

export interface ClusterEnv {
  readonly stats: StatsSink;
  readonly secrets: SecretProvider;
  readonly now: () => number;
  readonly random: () => number;
  readonly dns: DnsResolver;
  readonly log: (message: string) => void;
}

export class UpstreamCluster implements ClusterView {
  readonly name: string;
  readonly config: CompiledCluster;
  readonly stats: ClusterStats;
  readonly breakers: CircuitBreakers;
  readonly #env: ClusterEnv;
  readonly #pickerEnv: PickerEnv;
  readonly #poolEnv: PoolEnv;
  readonly #hashed: boolean;
  readonly #outlier: OutlierDetector | undefined;
  readonly #dns: DnsRefresher | undefined;
  readonly #originalDst: OriginalDstHosts | undefined;
  readonly #unsubscribeSecrets: () => void;
  #hosts = new Map<string, Host>();
  #hostList: Host[] = [];
  #overprovisioning: number;
  #lb: LbState;
  #initialized = false;
  /** The request hash of the pick in progress (picks are synchronous, so one per cluster suffices). */
  readonly #hash = new Hash64();

  constructor(config: CompiledCluster, env: ClusterEnv) {
    this.name = config.name;
    this.config = config;
    this.#env = env;
    this.stats = new ClusterStats(env.stats, config.statName);
    const perConnection = config.http.protocol === 'http2' ? config.http.maxConcurrentStreams : 1;
    this.breakers = new CircuitBreakers(config.circuitBreakers, this.stats, perConnection);
    const transports = new TransportResolver(env.secrets, config.name, env.log);
    this.#unsubscribeSecrets = env.secrets.onChange(() => transports.invalidate());
    this.#poolEnv = { cluster: config, stats: this.stats, breakers: this.breakers, transports };
    this.#pickerEnv = { config: config.lb, random: env.random, now: env.now };
    this.#hashed = isHashPolicy(config.lb.policy);
    this.#overprovisioning = config.discovery.overprovisioningFactor;
    this.#lb = buildLbState([], config.lb, this.#overprovisioning, this.#pickerEnv);
    const discovery = config.discovery;
    this.#outlier =
      config.outlier && discovery.kind !== 'ORIGINAL_DST'
        ? new OutlierDetector(config.outlier, this.stats.outlier, {
            now: env.now,
            random: env.random,
            hosts: () => this.#hostList,
            onHealthChange: () => this.#rebuild(),
          })
        : undefined;
    this.#originalDst = discovery.originalDst ? new OriginalDstHosts(discovery.originalDst) : undefined;
    if (discovery.kind === 'STRICT_DNS' || discovery.kind === 'LOGICAL_DNS') {
      this.#dns = new DnsRefresher(
        config.name,
        discovery,
        env.dns,
        (specs) => this.setEndpoints(specs),
        env.log,
      );
    } else if (discovery.kind === 'STATIC') {
      this.setEndpoints(discovery.endpoints ?? []);
    }
  }

  /** The cluster's membership: hosts whose address stays keep their state; removed ones drain and close. */
  setEndpoints(specs: readonly EndpointSpec[], overprovisioning?: number): void {
    const next = nextMembership(this.#hosts, specs, this.#initialized ? this.#env.now() : undefined);
    for (const host of next.hosts.values()) {
      // An endpoint whose tlsMode changed needs pools with the other transport socket.
      const pools = host.resources;
      if (pools instanceof HostPools && pools.socket !== socketFor(this.config.transport, host.socketMatch)) {
        host.resources = undefined;
        pools.close();
      }
    }
    for (const host of next.removed) {
      this.#outlier?.hostRemoved(host);
      host.retire();
    }
    const overprovisioningChanged =
      overprovisioning !== undefined && overprovisioning !== this.#overprovisioning;
    const changed = next.changed || overprovisioningChanged || !this.#initialized;
    this.#hosts = next.hosts;
    this.#hostList = [...next.hosts.values()];
    if (overprovisioning !== undefined) this.#overprovisioning = overprovisioning;
    this.#initialized = true;
    if (changed) {
      this.stats.membership_change.inc();
      this.#rebuild();
    }
  }

  #rebuild(): void {
    const hosts = this.#hostList;
    this.#lb = buildLbState(hosts, this.config.lb, this.#overprovisioning, this.#pickerEnv);
    this.breakers.hostCount = hosts.length;
    let healthy = 0;
    let degraded = 0;
    for (const host of hosts) {
      if (!host.available) continue;
      if (host.edsHealth === 'DEGRADED') degraded++;
      else healthy++;
    }
    this.stats.membership_total.set(hosts.length);
    this.stats.membership_healthy.set(healthy);
    this.stats.membership_degraded.set(degraded);
  }

  get forwardsToOriginalDestination(): boolean {
    return this.#originalDst !== undefined;
  }

  selectHost(context: LoadBalancerContext): UpstreamHost | undefined {
    if (this.#originalDst) {
      const host = this.#originalDst.select(context);
      if (!host) this.stats.upstream_cx_none_healthy.inc();
      return host;
    }
    const hash =
      this.#hashed && context.hashKey !== undefined ? xxhash64(context.hashKey, this.#hash) : undefined;
    const host = this.#lb.choose(hash, context.exclude);
    if (this.#lb.panicked) this.stats.lb_healthy_panic.inc();
    if (!host) this.stats.upstream_cx_none_healthy.inc();
    return host;
  }

  admitRequest(): ResourceGuard | undefined {
    return this.breakers.admitRequest();
  }

  admitRetry(): ResourceGuard | undefined {
    return this.breakers.admitRetry();
  }

  sendHttp(upstream: UpstreamHost, request: UpstreamHttpRequest): UpstreamAttempt {
    const host = upstream as Host;
    const hooks = requestStarted(this.stats, host);
    let pools = host.resources as HostPools | undefined;
    if (!pools) {
      pools = new HostPools(host, socketFor(this.config.transport, host.socketMatch), this.#poolEnv);
      host.resources = pools;
    }
    return pools.send(request, hooks);
  }

  connect(upstream: UpstreamHost): Promise<Duplex> {
    const host = upstream as Host;
    return connectTcp(host, socketFor(this.config.transport, host.socketMatch), this.#poolEnv);
  }

  recordOutcome(upstream: UpstreamHost, outcome: AttemptOutcome): void {
    if (outcome.kind === 'timeout') this.stats.upstream_rq_timeout.inc();
    const host = upstream as Host;
    if (this.#outlier && this.#hosts.get(host.id) === host) this.#outlier.record(host, outcome);
  }

  /** SDS secrets this cluster's transport sockets name. */
  secretNames(): string[] {
    return transportSecretNames(this.config.transport);
  }

  describe(): ClusterDescription {
    const hosts = [...this.#hostList, ...(this.#originalDst?.hosts ?? [])];
    return {
      name: this.name,
      type: this.config.discovery.kind,
      lbPolicy: this.config.lb.policy,
      circuitBreakers: this.config.circuitBreakers,
      outlierDetection: this.#outlier !== undefined,
      hosts: hosts.map(describeHost),
    };
  }

  /**
   * Stops discovery and detection and retires every host: in-flight requests finish on their connections,
   * which close afterwards. `removed`: the cluster is gone (not replaced), so its gauges drop to zero.
   */
  close(removed: boolean): void {
    this.#dns?.close();
    this.#outlier?.close();
    this.#originalDst?.close();
    this.#unsubscribeSecrets();
    for (const host of this.#hostList) host.retire();
    if (removed) {
      this.stats.membership_total.set(0);
      this.stats.membership_healthy.set(0);
      this.stats.membership_degraded.set(0);
    }
  }
}
