// A compiled filter chain at run time: its match, TLS, network filters, and the connections it carries, so an
// update can retire it (drain, then close at a deadline) while a replacement takes new connections.
import type { Socket } from 'node:net';
import type { ReadNetworkFilter, TerminalNetworkFilter } from '../filters/network/network-filter.ts';
import type { ChainCriteria } from './chain-match.ts';
import type { DownstreamTls } from './tls/downstream-tls.ts';

export interface FilterChainParts {
  readonly name: string;
  /** `filter_chains[3] (name)` or `default_filter_chain`, for errors and describe(). */
  readonly label: string;
  /** The chain's serialized proto: an identical chain in the next update keeps this runtime. */
  readonly key: string;
  readonly criteria: ChainCriteria;
  readonly tls: DownstreamTls | undefined;
  readonly readFilters: readonly ReadNetworkFilter[];
  readonly terminal: TerminalNetworkFilter;
}

export class FilterChainRuntime implements FilterChainParts {
  readonly name: string;
  readonly label: string;
  readonly key: string;
  readonly criteria: ChainCriteria;
  readonly tls: DownstreamTls | undefined;
  readonly readFilters: readonly ReadNetworkFilter[];
  readonly terminal: TerminalNetworkFilter;
  readonly #connections = new Set<Socket>();
  #retired = false;
  #closed = false;
  #deadline: NodeJS.Timeout | undefined;

  constructor(parts: FilterChainParts) {
    this.name = parts.name;
    this.label = parts.label;
    this.key = parts.key;
    this.criteria = parts.criteria;
    this.tls = parts.tls;
    this.readFilters = parts.readFilters;
    this.terminal = parts.terminal;
  }

  get activeConnections(): number {
    return this.#connections.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** False once the chain is closed: the caller drops the connection. */
  track(socket: Socket): boolean {
    if (this.#closed) return false;
    this.#connections.add(socket);
    socket.once('close', () => {
      this.#connections.delete(socket);
      if (this.#retired && this.#connections.size === 0) this.close();
    });
    return true;
  }

  /**
   * No longer selected: let the terminal filter drain, and close what is left at the deadline. `closeIdle`
   * (proxy shutdown) also closes idle HTTP/1.1 connections now, even on a chain an update retired before.
   */
  retire(deadlineMs: number, closeIdle = false): void {
    if (this.#closed) return;
    if (this.#retired) {
      if (closeIdle) this.terminal.drain({ closeIdle });
      return;
    }
    this.#retired = true;
    this.terminal.drain(closeIdle ? { closeIdle } : undefined);
    if (this.#connections.size === 0) return this.close();
    this.#deadline = setTimeout(() => this.close(), deadlineMs);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#deadline);
    this.terminal.close();
    for (const socket of this.#connections) socket.destroy();
  }
}
