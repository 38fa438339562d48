// Runs one stream through the HTTP filter chain, Envoy-style: request headers then body through the decoder
// filters in order (a filter may stop and resume the chain), responses back through the encoder filters in
// reverse, then to the client; and the stream's end is reported exactly once.
import type {
  CompiledHttpFilter,
  FilterCallbacks,
  HttpStreamFilter,
  LocalReply,
  UpgradeTunnel,
} from '../../filters/http/http-filter.ts';
import type { HttpClock, RandomSource } from '../clock.ts';
import { firstValue, type HeaderMap } from '../headers.ts';
import {
  perFilterConfigFor,
  selectRoute,
  type CompiledRoute,
  type CompiledRouteConfig,
  type PerFilterConfig,
  type WeightedClusterEntry,
} from '../routing/compiled-route.ts';
import { parseQuery, type QueryParameters } from '../routing/query-parameters.ts';
import type { StreamInfo } from '../stream-info.ts';
import type { DownstreamEvents, DownstreamStream } from './downstream-stream.ts';
import { renderLocalReply } from './local-reply.ts';
import { StreamIdleTimer } from './stream-idle-timer.ts';

export interface ChainEntry {
  readonly name: string;
  readonly compiled: CompiledHttpFilter;
  /** HttpFilter.disabled: off unless a route's per-filter config turns it on. */
  readonly disabledByDefault: boolean;
}

/** What every stream of one connection manager shares. */
export interface StreamContext {
  readonly chain: readonly ChainEntry[];
  readonly clock: HttpClock;
  readonly random: RandomSource;
  /** stream_idle_timeout; a route's idle_timeout replaces it once the route is known. 0 disables. */
  readonly streamIdleTimeoutMs?: number;
  /** Applied to every response just before it goes out (server header, request id, …). */
  finalizeResponse(headers: HeaderMap, info: StreamInfo): void;
  onComplete(info: StreamInfo, filtersDestroyed: boolean): void;
}

interface Slot {
  readonly entry: ChainEntry;
  readonly filter: HttpStreamFilter;
}

export class FilterManager {
  readonly #stream: DownstreamStream;
  readonly #info: StreamInfo;
  readonly #headers: HeaderMap;
  readonly #ctx: StreamContext;
  /** The route table in force when the stream started; undefined when it has not arrived. */
  readonly #table: CompiledRouteConfig | undefined;
  readonly #slots: Slot[] = [];
  #routeResolved = false;
  #route: CompiledRoute | undefined;
  #query: QueryParameters | undefined;
  #endAtHeaders: boolean;
  /** Index of the decoder that stopped the headers, or -1. */
  #decodeStopped = -1;
  #headersDecoded = false;
  #pendingData: { chunk: Uint8Array; end: boolean }[] | undefined;
  #encodeStopped = -1;
  #pendingEncode: (() => void)[] | undefined;
  #pendingHeaders: { headers: HeaderMap; end: boolean; trailers: boolean } | undefined;
  #responseStarted = false;
  #headersSent = false;
  #localReplied = false;
  /** The idle timer ended the stream: whatever filters still send is dropped. */
  #idleTimedOut = false;
  #idle: StreamIdleTimer | undefined;
  #done = false;

  constructor(
    stream: DownstreamStream,
    info: StreamInfo,
    headers: HeaderMap,
    ctx: StreamContext,
    table: CompiledRouteConfig | undefined,
  ) {
    this.#stream = stream;
    this.#info = info;
    this.#headers = headers;
    this.#ctx = ctx;
    this.#table = table;
    this.#endAtHeaders = stream.requestEnded;
  }

  get route(): CompiledRoute | undefined {
    if (!this.#routeResolved) {
      this.#routeResolved = true;
      this.#route = this.#resolveRoute();
      const action = this.#route?.action;
      if (this.#idle && action?.kind === 'forward' && action.idleTimeoutMs !== undefined)
        this.#idle.arm(action.idleTimeoutMs);
    }
    return this.#route;
  }

  start(): void {
    // A route may turn the timer on even when the HCM has it off, so every stream gets one; except upgrades,
    // whose tunnelled bytes never pass through here (tcp_proxy-style idle handling belongs to the tunnel).
    if (!this.#stream.upgrade) {
      this.#idle = new StreamIdleTimer(this.#ctx.clock, () => this.#onIdleTimeout());
      this.#idle.arm(this.#ctx.streamIdleTimeoutMs ?? 0);
    }
    const chain = this.#ctx.chain;
    for (let index = 0; index < chain.length; index++) {
      const entry = chain[index] as ChainEntry;
      this.#slots.push({ entry, filter: entry.compiled.createFilter(this.#callbacksFor(index, entry.name)) });
    }
    this.#stream.start(new FilterManager.#Events(this));
    this.#decodeHeadersFrom(0);
  }

  /** A reply for a request the filters never saw (rejected by the codec or canonicalization). */
  replyWithoutFilters(reply: LocalReply): void {
    // A refused request is never routed: no route's header edits apply to the refusal.
    this.#routeResolved = true;
    this.#stream.start({ onData: () => {}, onClose: (complete) => this.#onClose(complete) });
    this.#sendLocalReply(-1, reply);
  }

  #resolveRoute(): CompiledRoute | undefined {
    const table = this.#table;
    if (!table) return undefined;
    const vhost = table.virtualHost((firstValue(this.#headers, ':authority') ?? '').toLowerCase());
    if (!vhost) return undefined;
    this.#info.virtualHostName = vhost.name;
    const fullPath = firstValue(this.#headers, ':path') ?? '/';
    const q = fullPath.indexOf('?');
    const route = selectRoute(vhost, {
      headers: this.#headers,
      path: q < 0 ? fullPath : fullPath.slice(0, q),
      query: () => (this.#query ??= parseQuery(fullPath)),
      random: this.#ctx.random,
      tls: this.#info.downstream.tls,
      peerCertificatePresented: this.#info.downstream.peerPrincipal !== undefined,
      dynamicMetadata: this.#info.dynamicMetadata,
    });
    if (route) this.#info.routeName = route.name;
    return route;
  }

  #isSkipped(slot: Slot): boolean {
    const perRoute = perFilterConfigFor(this.route, slot.entry.name);
    if (perRoute) return perRoute.disabled;
    return slot.entry.disabledByDefault;
  }

  #decodeHeadersFrom(from: number): void {
    let i = from;
    for (; i < this.#slots.length; i++) {
      if (this.#done || this.#localReplied) return;
      const slot = this.#slots[i] as Slot;
      if (this.#isSkipped(slot)) continue;
      if (slot.filter.decodeHeaders(this.#headers, this.#endAtHeaders) === 'stop') {
        this.#decodeStopped = i;
        // The terminal filter stopping means it took the request over: the body goes to it from now on.
        if (i < this.#slots.length - 1) return;
        break;
      }
    }
    if (i === this.#slots.length) this.#decodeStopped = -1;
    this.#headersDecoded = true;
    const pending = this.#pendingData;
    if (!pending) return;
    this.#pendingData = undefined;
    for (const { chunk, end } of pending) this.#decodeData(chunk, end);
  }

  #onRequestData(chunk: Uint8Array, end: boolean): void {
    this.#info.bytesReceived += chunk.length;
    this.#idle?.touch();
    if (this.#done || this.#localReplied) return;
    if (!this.#headersDecoded) (this.#pendingData ??= []).push({ chunk, end });
    else this.#decodeData(chunk, end);
  }

  #decodeData(chunk: Uint8Array, end: boolean): void {
    for (const slot of this.#slots) {
      if (this.#done || this.#localReplied) return;
      if (!slot.filter.decodeData || this.#isSkipped(slot)) continue;
      if (slot.filter.decodeData(chunk, end) === 'stop') return;
    }
  }

  #continueDecoding(index: number): void {
    if (this.#decodeStopped !== index || this.#done) return;
    this.#decodeHeadersFrom(index + 1);
  }

  #sendLocalReply(origin: number, reply: LocalReply): void {
    if (this.#done) return;
    if (this.#responseStarted) {
      this.#stream.reset();
      return;
    }
    this.#localReplied = true;
    const info = this.#info;
    if (reply.flag) info.responseFlags.add(reply.flag);
    info.responseCodeDetails = reply.details;
    const rendered = renderLocalReply(reply, this.#headers);
    const body = rendered.body;
    this.#encodeHeaders(origin - 1, rendered.headers, body === undefined, false);
    if (body) this.#encodeData(body, true);
  }

  #encodeHeaders(from: number, headers: HeaderMap, end: boolean, trailers: boolean): void {
    if (this.#done || this.#responseStarted) return;
    this.#responseStarted = true;
    this.#pendingHeaders = { headers, end, trailers };
    this.#encodeHeadersFrom(from);
  }

  #encodeHeadersFrom(from: number): void {
    const pending = this.#pendingHeaders;
    if (!pending) return;
    for (let i = from; i >= 0; i--) {
      const slot = this.#slots[i] as Slot;
      if (!slot.filter.encodeHeaders || this.#isSkipped(slot)) continue;
      if (slot.filter.encodeHeaders(pending.headers, pending.end) === 'stop') {
        this.#encodeStopped = i;
        return;
      }
    }
    this.#encodeStopped = -1;
    this.#pendingHeaders = undefined;
    this.#sendHeaders(pending.headers, pending.end, pending.trailers);
    const queued = this.#pendingEncode;
    if (!queued) return;
    this.#pendingEncode = undefined;
    for (const op of queued) op();
  }

  #sendHeaders(headers: HeaderMap, end: boolean, trailers: boolean): void {
    const route = this.route;
    route?.responseMutation?.(headers);
    this.#ctx.finalizeResponse(headers, this.#info);
    this.#info.responseCode = Number(headers[':status']);
    this.#info.responseHeaders = headers;
    this.#headersSent = true;
    this.#idle?.touch();
    this.#stream.sendHeaders(headers, end, trailers);
  }

  #encodeData(chunk: Uint8Array, end: boolean): boolean {
    if (this.#done) return true;
    if (!this.#headersSent) {
      (this.#pendingEncode ??= []).push(() => this.#encodeData(chunk, end));
      return true;
    }
    this.#info.bytesSent += chunk.length;
    this.#idle?.touch();
    for (const slot of this.#slots) slot.filter.encodeData?.(chunk, end);
    return this.#stream.sendData(chunk, end);
  }

  #encodeTrailers(trailers: HeaderMap): void {
    if (this.#done) return;
    if (!this.#headersSent) {
      (this.#pendingEncode ??= []).push(() => this.#encodeTrailers(trailers));
      return;
    }
    this.#idle?.touch();
    for (const slot of this.#slots) slot.filter.encodeTrailers?.(trailers);
    this.#stream.sendTrailers(trailers);
  }

  #continueEncoding(index: number): void {
    if (this.#encodeStopped !== index || this.#done) return;
    this.#encodeHeadersFrom(index - 1);
  }

  /** As Envoy: 408 while no response has started, a reset once one has; flagged `SI` either way. */
  #onIdleTimeout(): void {
    if (this.#done) return;
    this.#info.responseFlags.add('SI');
    if (this.#responseStarted) {
      this.#idleTimedOut = true;
      this.#stream.reset();
      return;
    }
    // The request body may be half read: the connection cannot carry another request.
    this.#stream.closeAfterResponse?.();
    this.#sendLocalReply(this.#slots.length, {
      status: 408,
      body: 'stream timeout',
      details: 'stream_idle_timeout',
    });
    this.#idleTimedOut = true;
  }

  #onClose(complete: boolean): void {
    if (this.#done) return;
    this.#done = true;
    this.#idle?.cancel();
    if (!complete && !this.#localReplied && this.#info.responseFlags.size === 0)
      this.#info.responseFlags.add('DC');
    for (const slot of this.#slots) slot.filter.onDestroy?.();
    this.#ctx.onComplete(this.#info, complete);
  }

  #callbacksFor(index: number, name: string): FilterCallbacks {
    return new FilterManager.#Callbacks(this, index, name);
  }

  /** The downstream's events, delivered to the manager. */
  static readonly #Events = class implements DownstreamEvents {
    readonly #manager: FilterManager;
    constructor(manager: FilterManager) {
      this.#manager = manager;
    }
    onData(chunk: Uint8Array, end: boolean): void {
      this.#manager.#onRequestData(chunk, end);
    }
    onClose(complete: boolean): void {
      this.#manager.#onClose(complete);
    }
  };

  /** One filter's view of its stream: methods on a prototype, so a stream allocates one object per filter. */
  static readonly #Callbacks = class implements FilterCallbacks {
    readonly #manager: FilterManager;
    readonly #index: number;
    readonly #name: string;
    readonly streamInfo: StreamInfo;
    readonly requestHeaders: HeaderMap;
    readonly upgrade: UpgradeTunnel | undefined;
    readonly clock: HttpClock;
    readonly random: RandomSource;

    constructor(manager: FilterManager, index: number, name: string) {
      this.#manager = manager;
      this.#index = index;
      this.#name = name;
      this.streamInfo = manager.#info;
      this.requestHeaders = manager.#headers;
      this.upgrade = manager.#stream.upgrade;
      this.clock = manager.#ctx.clock;
      this.random = manager.#ctx.random;
    }

    route(): CompiledRoute | undefined {
      return this.#manager.route;
    }
    clearRouteCache(): void {
      this.#manager.#routeResolved = false;
      this.#manager.#query = undefined;
    }
    perFilterConfig(weighted?: WeightedClusterEntry): PerFilterConfig | undefined {
      return perFilterConfigFor(this.#manager.route, this.#name, weighted);
    }
    continueDecoding(): void {
      this.#manager.#continueDecoding(this.#index);
    }
    continueEncoding(): void {
      this.#manager.#continueEncoding(this.#index);
    }
    sendLocalReply(reply: LocalReply): void {
      if (!this.#manager.#idleTimedOut) this.#manager.#sendLocalReply(this.#index, reply);
    }
    encodeHeaders(headers: HeaderMap, end: boolean, trailers?: boolean): void {
      if (!this.#manager.#idleTimedOut)
        this.#manager.#encodeHeaders(this.#index - 1, headers, end, trailers ?? false);
    }
    encodeData(chunk: Uint8Array, end: boolean): boolean {
      return this.#manager.#idleTimedOut || this.#manager.#encodeData(chunk, end);
    }
    encodeTrailers(trailers: HeaderMap): void {
      if (!this.#manager.#idleTimedOut) this.#manager.#encodeTrailers(trailers);
    }
    onDownstreamDrain(callback: () => void): void {
      this.#manager.#stream.onDrain(callback);
    }
    readDisable(disabled: boolean): void {
      this.#manager.#stream.setReadDisabled(disabled);
    }
    resetStream(): void {
      this.#manager.#stream.reset();
    }
    get responseStarted(): boolean {
      return this.#manager.#responseStarted;
    }
  };
}
