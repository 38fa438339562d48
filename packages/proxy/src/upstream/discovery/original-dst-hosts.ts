// ORIGINAL_DST hosts: made on demand from the request's x-envoy-original-dst-host (with use_http_header) or
// the downstream connection's original destination, reused while in use, dropped after a cleanup_interval
// without requests.
import { isIP } from 'node:net';
import type { LoadBalancerContext } from '../cluster-view.ts';
import type { OriginalDstConfig } from '../config/compiled-cluster.ts';
import type { EndpointSpec } from '../config/endpoint-spec.ts';
import { Host } from '../host/host.ts';

export class OriginalDstHosts {
  readonly #config: OriginalDstConfig;
  readonly #hosts = new Map<string, Host>();
  readonly #used = new Set<Host>();
  readonly #timer: NodeJS.Timeout;

  constructor(config: OriginalDstConfig) {
    this.#config = config;
    this.#timer = setInterval(() => this.#cleanup(), config.cleanupIntervalMs);
    this.#timer.unref();
  }

  get hosts(): Iterable<Host> {
    return this.#hosts.values();
  }

  select(context: LoadBalancerContext): Host | undefined {
    const fromHeader = this.#config.useHttpHeader ? context.originalDestination : undefined;
    const target = parseHostPort(fromHeader ?? context.downstreamOriginalDestination);
    if (!target) return undefined;
    const port = this.#config.upstreamPortOverride ?? target.port;
    const id = target.v6 ? `[${target.address}]:${port}` : `${target.address}:${port}`;
    let host = this.#hosts.get(id);
    if (!host) {
      host = new Host(id, originalDstSpec(target.address, port), undefined);
      this.#hosts.set(id, host);
    }
    this.#used.add(host);
    return host;
  }

  #cleanup(): void {
    for (const [id, host] of this.#hosts) {
      if (this.#used.has(host) || host.rqActive > 0) continue;
      this.#hosts.delete(id);
      host.retire();
    }
    this.#used.clear();
  }

  close(): void {
    clearInterval(this.#timer);
    for (const host of this.#hosts.values()) host.retire();
    this.#hosts.clear();
  }
}

/** `1.2.3.4:80` or `[::1]:80`; only IP literals (a name would make this an open proxy to anywhere by DNS). */
export function parseHostPort(
  value: string | undefined,
): { address: string; port: number; v6: boolean } | undefined {
  if (!value) return undefined;
  const text = value.trim();
  let address: string;
  let portText: string;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || text[end + 1] !== ':') return undefined;
    address = text.slice(1, end);
    portText = text.slice(end + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return undefined;
    address = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  const family = isIP(address);
  if (family === 0 || (family === 6 && !text.startsWith('['))) return undefined;
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port < 1 || port > 65535) return undefined;
  return { address, port, v6: family === 6 };
}

function originalDstSpec(address: string, port: number): EndpointSpec {
  return {
    address,
    port,
    pipe: false,
    hostname: '',
    health: 'HEALTHY',
    weight: 1,
    priority: 0,
    locality: '',
    localityWeight: 0,
    metadata: {},
    socketMatch: {},
  };
}
