// One listener at run time: its bound servers, its current compiled config (swapped on update, with retired
// chains draining), the connection limit, and every connection it accepted, for drain and close.
import { createServer, type Server, type Socket } from 'node:net';
import { describeBindFailure } from './bind-failure.ts';
import type { CompiledListener } from './compile-listener.ts';
import { dispatchConnection } from './dispatch-connection.ts';
import type { FilterChainRuntime } from './filter-chain.ts';
import { inspectConnection } from './inspect-connection.ts';
import type { ListenAddress } from './listener-address.ts';
import { originalDestinationOf, unmapIpv4, type SocketAddressInfo } from './original-destination.ts';

export type ListenerState = 'binding' | 'active' | 'bind-failed' | 'not-bound' | 'draining' | 'closed';

export interface ListenerHost {
  /** The bind_to_port:false listener a use_original_dst listener hands this destination to, if any. */
  handoffTarget(destination: SocketAddressInfo, from: ActiveListener): ActiveListener | undefined;
  readonly drainTimeoutMs: number;
}

export class ActiveListener {
  readonly name: string;
  readonly #host: ListenerHost;
  readonly #servers: Server[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #idleWaiters: (() => void)[] = [];
  #config: CompiledListener;
  #state: ListenerState;
  #error: string | undefined;
  #boundPort: number | undefined;
  #deadline: NodeJS.Timeout | undefined;
  /** Staged (bound before its update is ACKed): connections wait here until start(), like a listen backlog. */
  #held: Socket[] | undefined;

  constructor(config: CompiledListener, host: ListenerHost, options: { readonly staged?: boolean } = {}) {
    this.name = config.name;
    this.#config = config;
    this.#host = host;
    this.#state = config.bindToPort ? 'binding' : 'not-bound';
    this.#held = options.staged ? [] : undefined;
  }

  get config(): CompiledListener {
    return this.#config;
  }
  get state(): ListenerState {
    return this.#state;
  }
  get error(): string | undefined {
    return this.#error;
  }
  get boundPort(): number | undefined {
    return this.#boundPort;
  }
  get activeConnections(): number {
    return this.#sockets.size;
  }

  /** Resolves once every address is listening, or once one failed (state `bind-failed`, error set). */
  async bind(): Promise<void> {
    const config = this.#config;
    if (!config.bindToPort) return;
    let address = config.bindAddress;
    try {
      for (address of [config.bindAddress, ...config.additionalAddresses]) {
        const port = await this.#listen(address, config);
        if (address === config.bindAddress) this.#boundPort = port;
      }
      if (this.#state === 'binding') this.#state = 'active';
    } catch (error) {
      this.#error = describeBindFailure(address, error);
      this.#stopServers();
      if (this.#state === 'binding') this.#state = 'bind-failed';
    }
  }

  #listen(address: ListenAddress, config: CompiledListener): Promise<number> {
    const server = createServer(
      // allowHalfOpen: a client's FIN must not end our side before tcp_proxy forwards it as a half-close.
      { allowHalfOpen: true, noDelay: true, highWaterMark: config.bufferLimitBytes },
      (socket) => (this.#held ? this.#hold(socket) : this.accept(socket)),
    );
    this.#servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      // The worker processes of `concurrency` > 1 (workers/worker-protocol.ts) each bind it: SO_REUSEPORT.
      const reusePort = process.env.HEDDLE_PROXY_WORKER_ID !== undefined;
      server.listen({ host: address.host, port: address.port, backlog: config.backlog, reusePort }, () => {
        server.removeListener('error', reject);
        // Accept errors (EMFILE …) must not crash the process; the listener keeps listening.
        server.on('error', () => undefined);
        const bound = server.address();
        resolve(typeof bound === 'object' && bound ? bound.port : address.port);
      });
    });
  }

  #hold(socket: Socket): void {
    socket.on('error', () => undefined);
    this.#held?.push(socket);
  }

  /** Puts a staged listener in service: connections that arrived while its update was pending are served. */
  start(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const socket of held) if (!socket.destroyed) this.accept(socket);
  }

  /**
   * A staged listener whose update was rejected or superseded: frees its sockets and held connections. Its
   * chains stay with the update, which binds afresh should it still be committed.
   */
  release(): void {
    this.#state = 'closed';
    this.#stopServers();
    for (const socket of this.#held?.splice(0) ?? []) socket.destroy();
  }

  /** New connections get `next`; chains it no longer has drain and close at the deadline. */
  update(next: CompiledListener): void {
    const previous = this.#config;
    this.#config = next;
    const kept = new Set<FilterChainRuntime>(next.chains);
    if (next.defaultChain) kept.add(next.defaultChain);
    for (const chain of chainsOf(previous)) if (!kept.has(chain)) chain.retire(this.#host.drainTimeoutMs);
  }

  /** A server's connection, or one handed over by a use_original_dst listener. */
  accept(socket: Socket): void {
    socket.on('error', () => undefined);
    // A system call per connection: only where transparent capture asks for it.
    const wantsOriginal = this.#config.useOriginalDst || this.#config.filters.originalDst;
    const original = wantsOriginal ? originalDestinationOf(socket) : undefined;
    const destination = original ?? {
      address: unmapIpv4(socket.localAddress ?? ''),
      port: socket.localPort ?? 0,
    };
    if (this.#config.useOriginalDst) {
      const target = this.#host.handoffTarget(destination, this);
      if (target) return target.#adopt(socket, destination, original);
    }
    this.#adopt(socket, destination, original);
  }

  #adopt(socket: Socket, destination: SocketAddressInfo, original: SocketAddressInfo | undefined): void {
    const config = this.#config;
    const stats = config.stats;
    if (this.#state === 'draining' || this.#state === 'closed') return void socket.destroy();
    if (this.#sockets.size >= config.maxConnections) {
      stats.cxOverflow.inc();
      socket.destroy();
      return;
    }
    stats.cxTotal.inc();
    stats.cxActive.add(1);
    this.#sockets.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      stats.cxActive.add(-1);
      stats.cxDestroy.inc();
      if (this.#sockets.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
    inspectConnection(socket, config.filters, destination.port, stats, (inspection) => {
      if (inspection) dispatchConnection(this.#config, socket, destination, original, inspection);
    });
  }

  /**
   * Stops accepting; connections drain (HTTP: Connection: close / GOAWAY) and are closed at the deadline.
   * `closeIdle` (proxy shutdown): idle HTTP/1.1 connections close now instead of at their next response.
   */
  retire(closeIdle = false): void {
    if (this.#state === 'draining' || this.#state === 'closed') return;
    this.#state = 'draining';
    this.#stopServers();
    for (const chain of chainsOf(this.#config)) chain.retire(this.#host.drainTimeoutMs, closeIdle);
    if (this.#sockets.size > 0) this.#deadline = setTimeout(() => this.close(), this.#host.drainTimeoutMs);
  }

  whenIdle(): Promise<void> {
    if (this.#sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): void {
    this.#state = 'closed';
    clearTimeout(this.#deadline);
    this.#stopServers();
    for (const socket of this.#held?.splice(0) ?? []) socket.destroy();
    for (const chain of chainsOf(this.#config)) chain.close();
    for (const socket of this.#sockets) socket.destroy();
  }

  #stopServers(): void {
    for (const server of this.#servers.splice(0)) server.close();
  }
}

export function chainsOf(config: CompiledListener): FilterChainRuntime[] {
  return config.defaultChain ? [...config.chains, config.defaultChain] : [...config.chains];
}
