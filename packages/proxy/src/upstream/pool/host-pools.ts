// A host's connection pools: HTTP/1.1 or HTTP/2 as the cluster says (or as the request came, with
// use_downstream_protocol_config), one pool per SNI when auto_sni takes it from the request's authority.
import type { UpstreamAttempt, UpstreamHttpRequest } from '../cluster-view.ts';
import type { TransportSocketConfig } from '../config/transport-config.ts';
import type { Host, HostResources } from '../host/host.ts';
import type { ExchangeHooks } from './exchange-hooks.ts';
import { Http1Pool } from './http1-pool.ts';
import { Http2Pool } from './http2-pool.ts';
import type { PoolEnv } from './pool-env.ts';

export class HostPools implements HostResources {
  readonly #host: Host;
  readonly #socket: TransportSocketConfig;
  readonly #env: PoolEnv;
  readonly #autoSni: boolean;
  readonly #http1 = new Map<string, Http1Pool>();
  readonly #http2 = new Map<string, Http2Pool>();

  constructor(host: Host, socket: TransportSocketConfig, env: PoolEnv) {
    this.#host = host;
    this.#socket = socket;
    this.#env = env;
    this.#autoSni = env.cluster.http.autoSni && socket.kind === 'tls';
  }

  get socket(): TransportSocketConfig {
    return this.#socket;
  }

  send(request: UpstreamHttpRequest, hooks: ExchangeHooks): UpstreamAttempt {
    const configured = this.#env.cluster.http.protocol;
    const protocol = configured === 'downstream' ? request.protocol : configured;
    const sni = this.#autoSni ? authorityHost(request.authority) : undefined;
    const key = sni ?? '';
    if (protocol === 'http2') {
      let pool = this.#http2.get(key);
      if (!pool) {
        pool = new Http2Pool({ host: this.#host, socket: this.#socket, sni }, this.#env);
        this.#http2.set(key, pool);
      }
      return pool.send(request, hooks);
    }
    let pool = this.#http1.get(key);
    if (!pool) {
      pool = new Http1Pool({ host: this.#host, socket: this.#socket, sni }, this.#env);
      this.#http1.set(key, pool);
    }
    return pool.send(request, hooks);
  }

  close(): void {
    for (const pool of this.#http1.values()) pool.close();
    for (const pool of this.#http2.values()) pool.close();
    this.#http1.clear();
    this.#http2.clear();
  }

  destroy(): void {
    for (const pool of this.#http1.values()) pool.destroy();
    for (const pool of this.#http2.values()) pool.destroy();
    this.#http1.clear();
    this.#http2.clear();
  }
}

/** The host part of an authority (`example.com:8443` → `example.com`, `[::1]:80` → `::1`). */
export function authorityHost(authority: string): string {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return end > 0 ? authority.slice(1, end) : authority;
  }
  const colon = authority.lastIndexOf(':');
  return (colon >= 0 ? authority.slice(0, colon) : authority).toLowerCase();
}
