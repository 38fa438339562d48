// What SotW and Delta ADS streams share: the first request's node, decoding errors, ACK/NACK bookkeeping, and
// writes that time out.
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { ProxyNode } from '@heddle/translate';
import type { Node } from '@heddle/xds';
import { isControlPlaneError } from '../errors.ts';
import type { TimerHandle } from '../push/clock.ts';
import { SyncState } from '../push/sync-state.ts';
import { StreamAdmission } from './auth/stream-admission.ts';
import { XdsAuthRefused } from './auth/xds-caller.ts';
import type { ProxyResources, XdsResource } from './proxy-resources.ts';
import { proxyNodeFromXds } from './proxy-node-from-xds.ts';
import type { StreamContext } from './stream-context.ts';
import { recordRejectMetrics, recordResponseMetrics, recordWriteMetrics } from './xds-metrics.ts';
import { UndecodableRequest } from './tolerant-definition.ts';
import { xdsTypeOf, type XdsType } from './xds-types.ts';
import type { ProxyConnection, PushContext, StreamKind, XdsStream } from './xds-stream.ts';

/** The fields SotW and Delta requests have in common. */
export interface AdsRequest {
  readonly node?: Node | undefined;
  readonly typeUrl: string;
  readonly responseNonce: string;
  readonly errorDetail?: { readonly code: number; readonly message: string } | undefined;
}

class StreamFailure extends Error {
  readonly code: status;

  constructor(code: status, message: string) {
    super(message);
    this.code = code;
  }
}

export abstract class AdsStream<Req extends AdsRequest, Res> implements XdsStream {
  protected readonly ctx: StreamContext;
  readonly #call: ServerDuplexStream<Req | UndecodableRequest, Res>;
  readonly #kind: StreamKind;
  readonly #sync = new SyncState();
  readonly #pendingWrites = new Set<TimerHandle>();
  readonly #admission: StreamAdmission<Req | UndecodableRequest>;
  #connection: ProxyConnection | undefined;
  #resources: ProxyResources | undefined;
  #closed = false;

  constructor(call: ServerDuplexStream<Req | UndecodableRequest, Res>, ctx: StreamContext, kind: StreamKind) {
    this.#call = call;
    this.ctx = ctx;
    this.#kind = kind;
    call.on('data', (request: Req | UndecodableRequest) => this.#onData(request));
    // The proxy half-closed: finish our side too.
    call.on('end', () => this.close(status.OK, 'stream ended by the proxy'));
    for (const event of ['cancelled', 'close', 'finish', 'error']) call.on(event, () => this.#disconnect());
    // The token is checked as the stream opens; requests that arrive meanwhile wait for the verdict.
    this.#admission = new StreamAdmission(
      () => ctx.admit(call.metadata, call.getPeer()),
      call.getPeer(),
      ctx.logger,
      {
        onAdmitted: (waiting) => {
          for (const request of waiting) this.#onData(request);
        },
        onRefused: (refusal) => this.#refuse(refusal),
      },
    );
  }

  get connection(): ProxyConnection {
    if (!this.#connection) throw new Error('the stream has not identified its proxy yet');
    return this.#connection;
  }

  get resources(): ProxyResources | undefined {
    return this.#resources;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get sync(): SyncState {
    return this.#sync;
  }

  push(resources: ProxyResources, context: PushContext): number {
    if (this.#closed) return 0;
    this.#resources = this.#connection ? this.#admission.guard(resources, this.#connection.node) : resources;
    const sent = this.pushChanged(context);
    if (sent > 0 && context.changedAt !== undefined)
      this.ctx.metrics.convergenceTime.observe({}, (this.ctx.clock.now() - context.changedAt) / 1000);
    return sent;
  }

  close(code: status, details: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#disconnect();
    if (code === status.OK) this.#call.end();
    else this.#call.emit('error', { code, details });
  }

  /** Handles one decoded, well-formed request of a known type from an identified proxy. */
  protected abstract handle(request: Req, type: XdsType): void;

  /** Sends every subscribed type whose content changed; returns how many responses were sent. */
  protected abstract pushChanged(context: PushContext): number;

  /** Records a NACK (the request carries error_detail for `nonce`). */
  protected recordReject(type: XdsType, nonce: string, version: string, request: Req): void {
    const detail = request.errorDetail ?? { code: 0, message: '' };
    const node = this.connection.node.id;
    this.#sync.rejected(type.typeUrl, {
      version,
      nonce,
      code: detail.code,
      message: detail.message,
      at: this.ctx.clock.now(),
    });
    recordRejectMetrics(this.ctx.metrics, type, node, detail.code);
    this.ctx.logger.warn('proxy rejected config', {
      proxy: node,
      type: type.label,
      version,
      error: detail.message,
    });
  }

  protected recordAck(type: XdsType, nonce: string, version: string): void {
    this.#sync.acked(type.typeUrl, nonce, version, this.ctx.clock.now());
  }

  protected recordExpiredNonce(type: XdsType): void {
    this.ctx.metrics.expiredNonce.inc({ type: type.short });
  }

  /** Writes a response and records it as sent; `resources` is what the proxy holds once it accepts it. */
  protected send(
    type: XdsType,
    response: Res,
    sent: { version: string; nonce: string; resources: readonly XdsResource[]; bytes: number },
  ): void {
    const { clock, metrics } = this.ctx;
    const started = clock.now();
    this.#sync.sent(type.typeUrl, sent.version, sent.nonce, started, sent.resources);
    recordResponseMetrics(metrics, type, sent.bytes);
    let handle: TimerHandle | undefined;
    if (this.ctx.writeTimeoutMs > 0) {
      const timer = clock.setTimeout(() => {
        this.#pendingWrites.delete(timer);
        metrics.writeTimeouts.inc();
        this.ctx.logger.warn('xDS write timed out; closing the stream', { proxy: this.connection.node.id });
        this.close(status.DEADLINE_EXCEEDED, 'HEDDLE_XDS_WRITE_TIMEOUT: the response was not read in time');
      }, this.ctx.writeTimeoutMs);
      handle = timer;
      this.#pendingWrites.add(timer);
    }
    this.#call.write(response, (error?: Error | null) => {
      if (handle) {
        clock.clearTimeout(handle);
        this.#pendingWrites.delete(handle);
      }
      recordWriteMetrics(metrics, type, (clock.now() - started) / 1000, Boolean(error));
    });
  }

  #onData(request: Req | UndecodableRequest): void {
    if (this.#closed) return;
    if (!this.#admission.admitRequest(request, (refusal) => this.#refuse(refusal))) return;
    try {
      if (request instanceof UndecodableRequest)
        throw new StreamFailure(status.INVALID_ARGUMENT, `cannot decode the request: ${request.reason}`);
      if (!this.#connection) this.#identify(request.node);
      const type = xdsTypeOf(request.typeUrl);
      if (!type) {
        throw new StreamFailure(
          status.INVALID_ARGUMENT,
          `unknown type URL "${request.typeUrl}"; served: clusters, endpoints, listeners, routes, secrets (v3)`,
        );
      }
      this.handle(request, type);
    } catch (error) {
      if (error instanceof XdsAuthRefused) {
        this.#refuse(error, request instanceof UndecodableRequest ? undefined : request.node?.id);
        return;
      }
      if (error instanceof StreamFailure) {
        this.ctx.logger.warn('closing an xDS stream after a malformed request', { reason: error.message });
        this.close(error.code, `HEDDLE_XDS_INVALID_REQUEST: ${error.message}`);
        return;
      }
      if (isControlPlaneError(error)) {
        this.close(status.INVALID_ARGUMENT, `${error.code}: ${error.message}`);
        return;
      }
      const typeUrl = request instanceof UndecodableRequest ? '' : request.typeUrl;
      this.ctx.metrics.internalErrors.inc({ type: xdsTypeOf(typeUrl)?.short ?? 'unknown' });
      this.ctx.logger.error('xDS request handling failed', { error: String(error) });
      this.close(status.INTERNAL, 'HEDDLE_XDS_INTERNAL: the control plane failed to handle the request');
    }
  }

  #identify(node: Node | undefined): void {
    if (!node || node.id === '')
      throw new StreamFailure(status.INVALID_ARGUMENT, 'the first request of a stream must carry node.id');
    const proxy: ProxyNode = proxyNodeFromXds(node);
    this.#admission.checkNode(proxy);
    const current = () => this.#resources;
    this.#connection = {
      connectionId: this.ctx.nextConnectionId(proxy),
      node: proxy,
      kind: this.#kind,
      connectedAt: this.ctx.clock.now(),
      sync: this.#sync,
      get resources() {
        return current();
      },
    };
    this.ctx.connect(this);
    // Translated off the request path, in turn with other work, so that a herd of connecting proxies does not
    // hold the event loop; the first responses go out when it is done (see initial-translations.ts).
    this.ctx.requestInitialTranslation(this);
  }

  #refuse(refusal: XdsAuthRefused, nodeId?: string): void {
    if (this.#closed) return;
    this.#admission.logRefusal(refusal, nodeId);
    this.close(refusal.status, refusal.message);
  }

  #disconnect(): void {
    for (const timer of this.#pendingWrites) this.ctx.clock.clearTimeout(timer);
    this.#pendingWrites.clear();
    if (this.#connection) this.ctx.disconnect(this);
    this.#closed = true;
  }
}
