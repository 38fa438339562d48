// The per-stream router: picks the cluster and host, sends attempts with timeouts, retries and back-off,
// mirrors the request, and streams the chosen response back; every attempt's outcome is reported.
import type { TimerHandle } from '../../../http/clock.ts';
import { firstValue, type HeaderMap } from '../../../http/headers.ts';
import type {
  CompiledRoute,
  ForwardAction,
  WeightedClusterEntry,
} from '../../../http/routing/compiled-route.ts';
import { parseQuery } from '../../../http/routing/query-parameters.ts';
import type { ResponseFlag } from '../../../http/stream-info.ts';
import {
  isStreamedBody,
  type AttemptListener,
  type ClusterView,
  type ResourceGuard,
  type UpstreamAttempt,
  type UpstreamHost,
  type UpstreamResponse,
} from '../../../upstream/cluster-view.ts';
import type { FilterCallbacks, FilterStatus, HttpStreamFilter } from '../http-filter.ts';
import { chooseWeighted, targetClusterName } from './cluster-choice.ts';
import type { RouterShared } from './config.ts';
import { downstreamResponseHeaders, pipeResponse } from './downstream-response.ts';
import { lbContext, requestDestination, type RequestDestination } from './lb-context.ts';
import { answerLocally } from './local-actions.ts';
import { startMirrors } from './mirror.ts';
import { ReplayableBody } from './replayable-body.ts';
import { backOffMs, retriableFailure, retriableResponse, type AttemptFailure } from './retry-decision.ts';
import { routeTimeoutMs } from './route-timeout.ts';
import { attemptFailureReply, routerLocalReply } from './router-local-reply.ts';
import type { RouterClusterStats } from './router-stats.ts';
import { forwardUpgrade } from './upgrade-forward.ts';
import { buildUpstreamRequest, type UpstreamRequestBase } from './upstream-request.ts';
import { classifyUpstreamError } from './upstream-error.ts';

export { ORIGINAL_DST_HOST_HEADER } from './lb-context.ts';

interface Attempt {
  readonly host: UpstreamHost;
  readonly upstream: UpstreamAttempt;
  perTryTimer?: TimerHandle;
  retryGuard?: ResourceGuard;
}

export class RouterFilter implements HttpStreamFilter {
  readonly #shared: RouterShared;
  readonly #cb: FilterCallbacks;
  #route: CompiledRoute | undefined;
  #action: ForwardAction | undefined;
  #weighted: WeightedClusterEntry | undefined;
  #cluster: ClusterView | undefined;
  #stats: RouterClusterStats | undefined;
  #request: UpstreamRequestBase | undefined;
  #requestGuard: ResourceGuard | undefined;
  #body: ReplayableBody | undefined;
  #hashKey: string | undefined;
  #setCookie: string | undefined;
  #destination: RequestDestination = {};
  #attempt: Attempt | undefined;
  /** Hosts tried so far; kept only when the retry policy avoids previous hosts. */
  #tried: Set<string> | undefined;
  #retries = 0;
  #globalTimer: TimerHandle | undefined;
  #backOffTimer: TimerHandle | undefined;
  /** The retry budget held while a retry waits out its back-off. */
  #pendingRetryGuard: ResourceGuard | undefined;
  #tunnel: { cancel(): void } | undefined;
  #sentMonotonic = 0;
  /** Response headers went downstream: no retry, no local reply. */
  #responding = false;
  #finished = false;

  constructor(shared: RouterShared, callbacks: FilterCallbacks) {
    this.#shared = shared;
    this.#cb = callbacks;
  }

  decodeHeaders(headers: HeaderMap, endStream: boolean): FilterStatus {
    const route = this.#cb.route();
    if (!route) {
      this.#reply(404, 'NR', 'route_not_found');
      return 'stop';
    }
    if (answerLocally(route, headers, this.#cb)) {
      this.#finished = true;
      return 'stop';
    }
    if (route.action.kind === 'forward') this.#forward(route, route.action, headers, endStream);
    return 'stop';
  }

  decodeData(chunk: Uint8Array, endStream: boolean): FilterStatus {
    const body = this.#body;
    if (!body) return 'stop';
    if (chunk.length > 0) body.push(chunk);
    if (endStream) {
      body.end();
      this.#startGlobalTimer();
    }
    return 'stop';
  }

  onDestroy(): void {
    const wasFinished = this.#finished;
    this.#finished = true;
    this.#globalTimer?.cancel();
    this.#backOffTimer?.cancel();
    this.#tunnel?.cancel();
    this.#body?.fail('downstream reset');
    const attempt = this.#attempt;
    if (attempt) {
      this.#attempt = undefined;
      this.#endAttempt(attempt);
      if (!wasFinished) attempt.upstream.cancel('downstream reset');
    }
    this.#releaseRequest();
  }

  #forward(route: CompiledRoute, action: ForwardAction, headers: HeaderMap, endStream: boolean): void {
    const info = this.#cb.streamInfo;
    const random = this.#cb.random;
    this.#route = route;
    this.#action = action;
    const weighted = chooseWeighted(action, random);
    this.#weighted = weighted;
    const clusterName = targetClusterName(action, headers, weighted);
    info.upstreamCluster = clusterName;
    const cluster = clusterName === '' ? undefined : this.#shared.clusters.cluster(clusterName);
    if (!cluster) {
      this.#reply(action.notFoundStatus, 'NC', 'cluster_not_found');
      return;
    }
    this.#cluster = cluster;
    this.#stats = this.#shared.stats.cluster(clusterName);
    const upgrade = this.#cb.upgrade;
    if (upgrade && action.upgrades.get(upgrade.type) === false) {
      this.#reply(403, undefined, 'upgrade_failed');
      return;
    }
    const guard = cluster.admitRequest();
    if (!guard) {
      this.#reply(503, 'UO', 'overflow');
      return;
    }
    this.#requestGuard = guard;
    if (action.hashPolicy) {
      const hash = action.hashPolicy({
        headers,
        remoteAddress: info.downstreamRemoteAddress,
        query: () => parseQuery(firstValue(headers, ':path') ?? ''),
      });
      this.#hashKey = hash.key;
      this.#setCookie = hash.setCookie;
    }
    this.#destination = requestDestination(headers, info);
    const request = buildUpstreamRequest(headers, route, action, weighted, {
      upgrade: upgrade !== undefined,
      suppressEnvoyHeaders: this.#shared.suppressEnvoyHeaders,
    });
    this.#request = request;
    if (upgrade) {
      this.#openTunnel(cluster, request);
      return;
    }
    if (!endStream) {
      this.#body = new ReplayableBody(this.#shared.bufferLimit, (high) => this.#cb.readDisable(high));
    }
    const mirrors = action.mirrors.length > 0 ? action.mirrors : route.virtualHost.routeConfig.mirrors;
    if (mirrors.length > 0) {
      const body = this.#body;
      startMirrors(mirrors, request, body ? () => body.reader() : undefined, {
        clusters: this.#shared.clusters,
        clock: this.#cb.clock,
        random,
        timeoutMs: routeTimeoutMs(action, headers),
        // A connection manager's streams are HTTP/1.1 or HTTP/2 ('tcp' is for tcp_proxy's access logs).
        protocol: info.protocol === 'http2' ? 'http2' : 'http1',
      });
    }
    if (endStream) this.#startGlobalTimer();
    this.#startAttempt();
  }

  #openTunnel(cluster: ClusterView, request: UpstreamRequestBase): void {
    const host = this.#selectHost(cluster);
    const upgrade = this.#cb.upgrade;
    if (!host) {
      this.#reply(503, 'UH', 'no_healthy_upstream');
      return;
    }
    if (!upgrade) return;
    this.#responding = true;
    this.#tunnel = forwardUpgrade(cluster, host, request, upgrade, this.#cb.streamInfo, () =>
      this.#releaseRequest(),
    );
  }

  #selectHost(cluster: ClusterView): UpstreamHost | undefined {
    const tried = this.#tried;
    const avoid = tried !== undefined && tried.size > 0;
    return cluster.selectHost(lbContext(this.#destination, this.#hashKey, avoid ? tried : undefined));
  }

  #startGlobalTimer(): void {
    const action = this.#action;
    if (!action || this.#globalTimer || this.#finished) return;
    const timeout = routeTimeoutMs(action, this.#cb.requestHeaders);
    if (timeout > 0) this.#globalTimer = this.#cb.clock.setTimer(timeout, () => this.#onGlobalTimeout());
  }

  #startAttempt(retryGuard?: ResourceGuard): void {
    const cluster = this.#cluster;
    const request = this.#request;
    if (!cluster || !request || this.#finished) {
      retryGuard?.release();
      return;
    }
    const info = this.#cb.streamInfo;
    const host = this.#selectHost(cluster);
    if (!host) {
      retryGuard?.release();
      this.#reply(503, 'UH', 'no_healthy_upstream');
      return;
    }
    if (this.#action?.retryPolicy?.avoidPreviousHosts === true) (this.#tried ??= new Set()).add(host.id);
    info.attemptCount += 1;
    info.upstreamHost = host.id;
    const vhost = this.#route?.virtualHost;
    let headers = request.headers;
    if (vhost?.includeAttemptCount && !this.#shared.suppressEnvoyHeaders) {
      headers = { ...headers, 'x-envoy-attempt-count': String(info.attemptCount) };
    }
    const body = this.#body;
    const upstream = cluster.sendHttp(host, {
      method: request.method,
      path: request.path,
      authority: request.autoHost ? `${host.address}:${host.port}` : request.authority,
      headers,
      ...(body ? { body: body.reader() } : {}),
      protocol: info.protocol === 'http2' ? 'http2' : 'http1',
    });
    const attempt: Attempt = { host, upstream, ...(retryGuard ? { retryGuard } : {}) };
    this.#attempt = attempt;
    this.#sentMonotonic = this.#cb.clock.monotonic();
    const perTry = this.#action?.retryPolicy?.perTryTimeoutMs ?? 0;
    if (perTry > 0)
      attempt.perTryTimer = this.#cb.clock.setTimer(perTry, () => this.#onPerTryTimeout(attempt));
    if (upstream.listen) upstream.listen(new RouterFilter.#AttemptOutcome(this, attempt));
    else
      upstream.response.then(
        (response) => this.#onResponse(attempt, response),
        (error: unknown) => this.#onFailure(attempt, classifyUpstreamError(error)),
      );
  }

  #endAttempt(attempt: Attempt): void {
    attempt.perTryTimer?.cancel();
    attempt.perTryTimer = undefined;
    attempt.retryGuard?.release();
    delete attempt.retryGuard;
  }

  #onResponse(attempt: Attempt, response: UpstreamResponse): void {
    if (attempt !== this.#attempt) return;
    attempt.perTryTimer?.cancel();
    const cluster = this.#cluster as ClusterView;
    cluster.recordOutcome(attempt.host, { kind: 'response', status: response.status });
    const policy = this.#action?.retryPolicy;
    if (policy && retriableResponse(policy, response.status, response.headers) && this.#retry()) {
      attempt.upstream.cancel('retrying');
      return;
    }
    this.#sendResponse(attempt, response);
  }

  #onFailure(attempt: Attempt, failure: AttemptFailure): void {
    if (attempt !== this.#attempt) return;
    attempt.perTryTimer?.cancel();
    this.#cluster?.recordOutcome(attempt.host, { kind: failure });
    const policy = this.#action?.retryPolicy;
    if (policy && retriableFailure(policy, failure) && this.#retry()) return;
    this.#attempt = undefined;
    this.#endAttempt(attempt);
    const { status, flag, details } = attemptFailureReply(failure);
    this.#reply(status, flag, details);
  }

  #onPerTryTimeout(attempt: Attempt): void {
    if (attempt !== this.#attempt) return;
    attempt.perTryTimer = undefined;
    this.#stats?.perTryTimeout.inc();
    attempt.upstream.cancel('per try timeout');
    this.#onFailure(attempt, 'timeout');
  }

  #onGlobalTimeout(): void {
    this.#globalTimer = undefined;
    if (this.#finished) return;
    this.#stats?.timeout.inc();
    this.#backOffTimer?.cancel();
    const attempt = this.#attempt;
    if (attempt) {
      this.#attempt = undefined;
      this.#endAttempt(attempt);
      attempt.upstream.cancel('route timeout');
      if (!this.#responding) this.#cluster?.recordOutcome(attempt.host, { kind: 'timeout' });
    }
    if (this.#responding) {
      this.#cb.streamInfo.responseFlags.add('UT');
      this.#finish();
      this.#cb.resetStream();
      return;
    }
    this.#reply(504, 'UT', 'upstream_response_timeout');
  }

  /** Starts a retry after back-off when the policy, the body and the retry budget allow; false otherwise. */
  #retry(): boolean {
    const policy = this.#action?.retryPolicy;
    const cluster = this.#cluster;
    const stats = this.#stats;
    if (!policy || !cluster || !stats || this.#responding || this.#finished) return false;
    if (this.#body && !this.#body.replayable) return false;
    if (this.#retries >= policy.numRetries) {
      stats.retryLimitExceeded.inc();
      this.#cb.streamInfo.responseFlags.add('URX');
      return false;
    }
    const guard = cluster.admitRetry();
    if (!guard) {
      stats.retryOverflow.inc();
      return false;
    }
    const previous = this.#attempt;
    if (previous) this.#endAttempt(previous);
    this.#attempt = undefined;
    this.#retries += 1;
    stats.retry.inc();
    const delay = backOffMs(policy, this.#retries, this.#cb.random);
    this.#pendingRetryGuard = guard;
    this.#backOffTimer = this.#cb.clock.setTimer(delay, () => {
      this.#backOffTimer = undefined;
      this.#pendingRetryGuard = undefined;
      this.#startAttempt(guard);
    });
    return true;
  }

  #sendResponse(attempt: Attempt, response: UpstreamResponse): void {
    this.#responding = true;
    const info = this.#cb.streamInfo;
    const envoyHeaders = !this.#shared.suppressEnvoyHeaders;
    const mutation = this.#weighted?.responseMutation;
    // One object of one shape: absent options are undefined.
    const headers = downstreamResponseHeaders(response, {
      upstreamServiceTimeMs: envoyHeaders ? this.#cb.clock.monotonic() - this.#sentMonotonic : undefined,
      attemptCount:
        envoyHeaders && this.#route?.virtualHost.includeAttemptCountInResponse
          ? info.attemptCount
          : undefined,
      setCookie: this.#setCookie,
      mutation,
    });
    if (this.#retries > 0) this.#stats?.retrySuccess.inc();
    info.responseCodeDetails = 'via_upstream';
    // The pools' bodies always may end in trailers; asking their `trailers` would build a promise.
    const trailers = isStreamedBody(response.body) || response.trailers !== undefined;
    this.#cb.encodeHeaders(headers, false, trailers);
    pipeResponse(response, this.#cb, {
      isStopped: () => this.#finished,
      onUpstreamDone: () => this.#finish(),
      onUpstreamError: (error) => {
        this.#cluster?.recordOutcome(attempt.host, { kind: classifyUpstreamError(error) });
        this.#cb.streamInfo.responseFlags.add('UC');
        this.#finish();
        this.#cb.resetStream();
      },
    });
  }

  /** The upstream side is done (complete, failed or timed out); the downstream may still be flushing. */
  #finish(): void {
    this.#finished = true;
    this.#globalTimer?.cancel();
    this.#globalTimer = undefined;
    const attempt = this.#attempt;
    if (attempt) this.#endAttempt(attempt);
    this.#attempt = undefined;
    this.#releaseRequest();
  }

  #releaseRequest(): void {
    this.#requestGuard?.release();
    this.#requestGuard = undefined;
    this.#backOffTimer?.cancel();
    this.#backOffTimer = undefined;
    this.#pendingRetryGuard?.release();
    this.#pendingRetryGuard = undefined;
  }

  #reply(status: number, flag: ResponseFlag | undefined, details: string): void {
    if (this.#finished && this.#responding) return;
    this.#finish();
    this.#cb.sendLocalReply(routerLocalReply({ status, flag, details }));
  }

  /** One attempt's outcome, delivered to the router: one object instead of a promise chain. */
  static readonly #AttemptOutcome = class implements AttemptListener {
    readonly #router: RouterFilter;
    readonly #attempt: Attempt;
    constructor(router: RouterFilter, attempt: Attempt) {
      this.#router = router;
      this.#attempt = attempt;
    }
    onResponse(response: UpstreamResponse): void {
      this.#router.#onResponse(this.#attempt, response);
    }
    onError(error: unknown): void {
      this.#router.#onFailure(this.#attempt, classifyUpstreamError(error));
    }
  };
}
