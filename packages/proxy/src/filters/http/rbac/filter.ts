// The per-stream HTTP RBAC filter: evaluates the shadow rules (metadata and stats only) and the enforced rules
// on the canonical request, and answers 403 `RBAC: access denied` when the enforced rules deny.
import { HTTP_FILTERS } from '@heddle/xds';
import type { HeaderMap } from '../../../http/headers.ts';
import { httpAuthorizationInput, mergeDynamicMetadata } from '../../common/rbac/http-input.ts';
import { evaluateRbacRules, shadowMetadata } from '../../common/rbac/rbac-rules.ts';
import type { RbacStats } from '../../common/rbac/rbac-stats.ts';
import type { FilterCallbacks, FilterStatus, HttpStreamFilter } from '../http-filter.ts';
import type { HttpRbacConfig, HttpRbacPerRoute } from './config.ts';

export interface HttpRbacShared {
  readonly config: HttpRbacConfig;
  readonly stats: RbacStats;
}

export const RBAC_DENIED_BODY = 'RBAC: access denied';

export class HttpRbacFilter implements HttpStreamFilter {
  readonly #shared: HttpRbacShared;
  readonly #callbacks: FilterCallbacks;

  constructor(shared: HttpRbacShared, callbacks: FilterCallbacks) {
    this.#shared = shared;
    this.#callbacks = callbacks;
  }

  decodeHeaders(headers: HeaderMap): FilterStatus {
    const perRoute = this.#callbacks.perFilterConfig()?.config as HttpRbacPerRoute | undefined;
    const config = perRoute ? perRoute.config : this.#shared.config;
    if (!config) return 'continue';
    const info = this.#callbacks.streamInfo;
    const outcome = evaluateRbacRules(config.rules, httpAuthorizationInput(headers, info));
    const stats = this.#shared.stats;
    if (outcome.shadow) {
      (outcome.shadow.allowed ? stats.shadowAllowed : stats.shadowDenied).inc();
      mergeDynamicMetadata(info, HTTP_FILTERS.RBAC, shadowMetadata(config.rules, outcome.shadow));
    }
    const enforced = outcome.enforced;
    if (!enforced) return 'continue';
    const prefix = config.rulesStatPrefix;
    mergeDynamicMetadata(info, HTTP_FILTERS.RBAC, {
      ...(enforced.policyId !== undefined
        ? { [`${prefix}enforced_effective_policy_id`]: enforced.policyId }
        : {}),
      [`${prefix}enforced_engine_result`]: enforced.allowed ? 'allowed' : 'denied',
    });
    if (config.rules.enforced?.action === 'LOG') {
      // Envoy's hint to access loggers that a LOG policy matched.
      mergeDynamicMetadata(info, 'envoy.common', { access_log_hint: enforced.policyId !== undefined });
    }
    if (enforced.allowed) {
      stats.allowed.inc();
      return 'continue';
    }
    stats.denied.inc();
    this.#callbacks.sendLocalReply({
      status: 403,
      body: RBAC_DENIED_BODY,
      details: `rbac_access_denied_matched_policy[${enforced.policyId ?? 'none'}]`,
    });
    return 'stop';
  }
}
