// The per-stream CORS filter: answers allowed preflights locally and adds the CORS response headers to
// actual requests from allowed origins, per the route's (or virtual host's) CorsPolicy.
import { firstValue, type HeaderMap } from '../../../http/headers.ts';
import { sampled } from '../../../http/routing/fractional-percent.ts';
import type { Counter } from '../../../stats/stats-sink.ts';
import type { FilterCallbacks, FilterStatus, HttpStreamFilter } from '../http-filter.ts';
import type { CorsConfig } from './config.ts';

export interface CorsStats {
  readonly originValid: Counter;
  readonly originInvalid: Counter;
}

export class CorsFilter implements HttpStreamFilter {
  readonly #stats: CorsStats;
  readonly #callbacks: FilterCallbacks;
  /** Set when the request came from an allowed origin and the response must carry CORS headers. */
  #origin: string | undefined;
  #config: CorsConfig | undefined;

  constructor(stats: CorsStats, callbacks: FilterCallbacks) {
    this.#stats = stats;
    this.#callbacks = callbacks;
  }

  decodeHeaders(headers: HeaderMap): FilterStatus {
    const perRoute = this.#callbacks.perFilterConfig();
    const config = perRoute?.disabled ? undefined : (perRoute?.config as CorsConfig | undefined);
    if (!config) return 'continue';
    const origin = firstValue(headers, 'origin');
    if (origin === undefined || origin === '') return 'continue';
    const enforced = sampled(config.enabled, this.#callbacks.random);
    if (!enforced && !sampled(config.shadow, this.#callbacks.random)) return 'continue';
    const allowed = config.origins.some((test) => test(origin));
    (allowed ? this.#stats.originValid : this.#stats.originInvalid).inc();
    if (!enforced) return 'continue';
    const preflight =
      headers[':method'] === 'OPTIONS' && firstValue(headers, 'access-control-request-method') !== undefined;
    if (!preflight) {
      if (allowed) {
        this.#origin = origin;
        this.#config = config;
      }
      return 'continue';
    }
    if (!allowed) {
      if (config.forwardNotMatchingPreflights) return 'continue';
      this.#callbacks.sendLocalReply({ status: 200, details: 'cors_origin_not_allowed' });
      return 'stop';
    }
    const reply: Record<string, string> = { 'access-control-allow-origin': origin };
    if (config.allowCredentials) reply['access-control-allow-credentials'] = 'true';
    if (config.allowMethods !== undefined) reply['access-control-allow-methods'] = config.allowMethods;
    if (config.allowHeaders !== undefined) reply['access-control-allow-headers'] = config.allowHeaders;
    if (config.maxAge !== undefined) reply['access-control-max-age'] = config.maxAge;
    if (
      config.allowPrivateNetworkAccess &&
      firstValue(headers, 'access-control-request-private-network') === 'true'
    ) {
      reply['access-control-allow-private-network'] = 'true';
    }
    this.#callbacks.sendLocalReply({ status: 200, headers: reply, details: 'cors_response' });
    return 'stop';
  }

  encodeHeaders(headers: HeaderMap): FilterStatus {
    const config = this.#config;
    if (this.#origin === undefined || !config) return 'continue';
    headers['access-control-allow-origin'] = this.#origin;
    if (config.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (config.exposeHeaders !== undefined) headers['access-control-expose-headers'] = config.exposeHeaders;
    return 'continue';
  }
}
