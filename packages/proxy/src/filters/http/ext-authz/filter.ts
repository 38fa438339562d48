// The per-stream ext_authz filter: asks the authorization service (stopping the request meanwhile), then lets
// the request on with the allowed response headers, or answers with the service's denial (flag UAEX), or
// applies failure_mode_allow / status_on_error when the service cannot be asked.
import {
  HOP_BY_HOP,
  appendValue,
  allValues,
  type HeaderMap,
  type ReadonlyHeaderMap,
} from '../../../http/headers.ts';
import type { Counter } from '../../../stats/stats-sink.ts';
import type { ClusterManagerView } from '../../../upstream/cluster-view.ts';
import type { FilterCallbacks, FilterStatus, HttpStreamFilter } from '../http-filter.ts';
import { sendCheck, type CheckHandle, type CheckResult, type HeaderMutations } from './check-request.ts';
import { sendGrpcCheck } from './grpc-check.ts';
import type { ExtAuthzConfig, ExtAuthzPerRoute, NameList } from './config.ts';

export interface ExtAuthzStats {
  readonly ok: Counter;
  readonly denied: Counter;
  readonly error: Counter;
  readonly failureModeAllowed: Counter;
}

export interface ExtAuthzShared {
  readonly config: ExtAuthzConfig;
  readonly stats: ExtAuthzStats;
  readonly clusters: ClusterManagerView;
}

/** Never taken from the authorization service, whatever the lists say. */
const NEVER_COPIED = new Set([
  'content-length',
  'host',
  'content-type',
  'transfer-encoding',
  'date',
  'server',
]);

function copyable(name: string): boolean {
  return !name.startsWith(':') && !HOP_BY_HOP.has(name) && !NEVER_COPIED.has(name);
}

function selectHeaders(from: ReadonlyHeaderMap, list: NameList, all: boolean): [string, readonly string[]][] {
  const out: [string, readonly string[]][] = [];
  for (const name in from) {
    if (!copyable(name)) continue;
    if (list ? list(name) : all) out.push([name, allValues(from, name)]);
  }
  return out;
}

/** A gRPC service's changes to the allowed request; pseudo-headers and Host stay as they are. */
function applyMutations(headers: HeaderMap, mutations: HeaderMutations): void {
  const allowed = (name: string): boolean => !name.startsWith(':') && name !== 'host';
  for (const name of mutations.remove) if (allowed(name)) delete headers[name];
  for (const [name, value] of mutations.set) if (allowed(name)) headers[name] = value;
  for (const [name, value] of mutations.append) if (allowed(name)) appendValue(headers, name, value);
}

export class ExtAuthzFilter implements HttpStreamFilter {
  readonly #shared: ExtAuthzShared;
  readonly #callbacks: FilterCallbacks;
  #check: CheckHandle | undefined;
  #destroyed = false;

  constructor(shared: ExtAuthzShared, callbacks: FilterCallbacks) {
    this.#shared = shared;
    this.#callbacks = callbacks;
  }

  decodeHeaders(headers: HeaderMap): FilterStatus {
    const perRoute = this.#callbacks.perFilterConfig()?.config as ExtAuthzPerRoute | undefined;
    if (perRoute?.disabled) return 'continue';
    const config = this.#shared.config;
    if (config.enabledMetadata && !config.enabledMetadata(this.#callbacks.streamInfo.dynamicMetadata)) {
      return 'continue';
    }
    this.#check =
      config.protocol === 'grpc'
        ? sendGrpcCheck(
            config,
            this.#shared.clusters,
            this.#callbacks.clock,
            headers,
            this.#callbacks.streamInfo,
          )
        : sendCheck(config, this.#shared.clusters, this.#callbacks.clock, headers);
    void this.#check.result.then((result) => this.#onResult(headers, result));
    return 'stop';
  }

  onDestroy(): void {
    this.#destroyed = true;
    this.#check?.cancel();
  }

  #onResult(headers: HeaderMap, result: CheckResult): void {
    this.#check = undefined;
    if (this.#destroyed) return;
    const { config, stats } = this.#shared;
    switch (result.kind) {
      case 'ok': {
        stats.ok.inc();
        if (result.mutations) applyMutations(headers, result.mutations);
        for (const [name, values] of selectHeaders(result.headers, config.allowedUpstreamHeaders, false)) {
          headers[name] = values.length === 1 ? (values[0] as string) : [...values];
        }
        for (const [name, values] of selectHeaders(
          result.headers,
          config.allowedUpstreamHeadersToAppend,
          false,
        )) {
          for (const value of values) appendValue(headers, name, value);
        }
        this.#callbacks.continueDecoding();
        return;
      }
      case 'denied': {
        stats.denied.inc();
        const replyHeaders: Record<string, string> = {};
        for (const [name, values] of selectHeaders(result.headers, config.allowedClientHeaders, true)) {
          replyHeaders[name] = values.join(', ');
        }
        this.#callbacks.sendLocalReply({
          status: result.status >= 200 && result.status <= 599 ? result.status : 403,
          body: result.body,
          headers: replyHeaders,
          flag: 'UAEX',
          details: 'ext_authz_denied',
        });
        return;
      }
      case 'error': {
        stats.error.inc();
        if (config.failureModeAllow) {
          stats.failureModeAllowed.inc();
          if (config.failureModeAllowHeaderAdd) headers['x-envoy-auth-failure-mode-allowed'] = 'true';
          this.#callbacks.continueDecoding();
          return;
        }
        this.#callbacks.sendLocalReply({
          status: config.statusOnError,
          flag: 'UAEX',
          details: `ext_authz_error{${result.reason}}`,
        });
        return;
      }
    }
  }
}
