// The authorization and JWT configuration a proxy was sent, read back from its config dump: each
// AuthorizationPolicy (named `name.namespace`, as istioctl does) with its action, rules and ports, and each
// JWT issuer. Policy names come from the RBAC policy keys `ns[<ns>]-policy[<name>]-rule[<n>]`.
import type { ConfigDump } from '../client/api-types.ts';
import { dumpSections } from '../proxy-config/dump-sections.ts';
import { at, list, record, text, texts } from '../proxy-config/json-fields.ts';
import { describeRbacPolicy } from './describe-rbac.ts';

export type PolicyAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface EffectivePolicy {
  readonly action: PolicyAction;
  /** Evaluated and logged, not enforced (`istio.io/dry-run`). */
  readonly dryRun: boolean;
  /** A CUSTOM policy whose provider could not be used: its requests are denied. */
  readonly failedClosed: boolean;
  /** `name.namespace`, or `_anonymous_match_nothing_` for an ALLOW stage with no rules left. */
  readonly policy: string;
  /** Rule index → what it matches, with the ports where it reads so (a rule reads differently on TCP ports). */
  readonly rules: Readonly<Record<string, readonly RuleReading[]>>;
  readonly ports: readonly string[];
}

export interface RuleReading {
  readonly summary: string;
  readonly ports: readonly string[];
}

export interface JwtIssuer {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly ports: readonly string[];
}

export interface AuthzView {
  readonly policies: readonly EffectivePolicy[];
  readonly jwt: readonly JwtIssuer[];
}

export const MATCH_NOTHING = '_anonymous_match_nothing_';
const POLICY_KEY = /^(?:istio-ext-authz-)?ns\[(.*?)\]-policy\[(.*)\]-rule\[(\d+)\]$/;
const HCM = 'envoy.filters.network.http_connection_manager';
const EXT_AUTHZ_PREFIX = 'istio_ext_authz_';

function typeOf(config: unknown): string {
  return text(config, '@type') ?? '';
}

/** `8080` from `inbound|8080||…` or `0.0.0.0_8080`; else the listener name. */
function portOf(listener: unknown, chain: unknown): string {
  const chainName = text(chain, 'name') ?? '';
  const inbound = /^inbound\|(\d+)\|/.exec(chainName);
  if (inbound?.[1]) return inbound[1];
  const listenerName = text(listener, 'name') ?? '?';
  return /_(\d+)$/.exec(listenerName)?.[1] ?? listenerName;
}

class Collector {
  readonly #policies = new Map<string, { value: Omit<EffectivePolicy, 'ports'>; ports: Set<string> }>();
  readonly #issuers = new Map<string, { value: Omit<JwtIssuer, 'ports'>; ports: Set<string> }>();

  addRbac(config: unknown, port: string): void {
    const custom = text(config, 'shadowRulesStatPrefix') === EXT_AUTHZ_PREFIX;
    const enforced = at(config, 'rules');
    const shadow = at(config, 'shadowRules');
    if (enforced !== undefined) this.#addRules(enforced, port, custom ? 'CUSTOM' : undefined, false, custom);
    if (shadow !== undefined) this.#addRules(shadow, port, custom ? 'CUSTOM' : undefined, !custom, false);
  }

  addJwt(config: unknown, port: string): void {
    for (const provider of Object.values(record(at(config, 'providers')) ?? {})) {
      const issuer = text(provider, 'issuer') ?? '?';
      const audiences = texts(provider, 'audiences');
      const key = `${issuer}\u0000${audiences.join(',')}`;
      const entry = this.#issuers.get(key) ?? { value: { issuer, audiences }, ports: new Set<string>() };
      entry.ports.add(port);
      this.#issuers.set(key, entry);
    }
  }

  view(): AuthzView {
    const order: Record<PolicyAction, number> = { CUSTOM: 0, AUDIT: 1, DENY: 2, ALLOW: 3 };
    const policies = [...this.#policies.values()]
      .map(({ value, ports }) => ({ ...value, ports: [...ports].sort() }))
      .sort(
        (a, b) =>
          order[a.action] - order[b.action] ||
          Number(a.dryRun) - Number(b.dryRun) ||
          a.policy.localeCompare(b.policy),
      );
    const jwt = [...this.#issuers.values()].map(({ value, ports }) => ({
      ...value,
      ports: [...ports].sort(),
    }));
    return { policies, jwt };
  }

  #addRules(
    rules: unknown,
    port: string,
    forced: PolicyAction | undefined,
    dryRun: boolean,
    failedClosed: boolean,
  ): void {
    const actionText = text(rules, 'action') ?? 'ALLOW';
    const action: PolicyAction =
      forced ?? (actionText === 'LOG' ? 'AUDIT' : actionText === 'DENY' ? 'DENY' : 'ALLOW');
    const entries = Object.entries(record(at(rules, 'policies')) ?? {});
    if (entries.length === 0 && action === 'ALLOW') this.#add(action, dryRun, false, MATCH_NOTHING, port);
    for (const [key, policy] of entries) {
      const match = POLICY_KEY.exec(key);
      const name = match ? `${match[2] ?? ''}.${match[1] ?? ''}` : key;
      this.#add(action, dryRun, failedClosed, name, port, match?.[3] ?? '0', describeRbacPolicy(policy));
    }
  }

  #add(
    action: PolicyAction,
    dryRun: boolean,
    failedClosed: boolean,
    policy: string,
    port: string,
    ruleIndex?: string,
    summary?: string,
  ): void {
    const key = `${action}\u0000${String(dryRun)}\u0000${String(failedClosed)}\u0000${policy}`;
    const entry = this.#policies.get(key) ?? {
      value: { action, dryRun, failedClosed, policy, rules: {} },
      ports: new Set<string>(),
    };
    if (ruleIndex !== undefined && summary !== undefined) {
      const readings = [...(entry.value.rules[ruleIndex] ?? [])];
      const same = readings.findIndex((r) => r.summary === summary);
      if (same < 0) readings.push({ summary, ports: [port] });
      else {
        const reading = readings[same];
        if (reading && !reading.ports.includes(port))
          readings[same] = { summary, ports: [...reading.ports, port].sort() };
      }
      entry.value = { ...entry.value, rules: { ...entry.value.rules, [ruleIndex]: readings } };
    }
    entry.ports.add(port);
    this.#policies.set(key, entry);
  }
}

export function effectivePolicies(dump: ConfigDump): AuthzView {
  const collector = new Collector();
  for (const listener of dumpSections(dump).listeners) {
    const chains = [...list(listener, 'filterChains'), at(listener, 'defaultFilterChain')].filter(
      (chain) => chain !== undefined,
    );
    for (const chain of chains) {
      const port = portOf(listener, chain);
      for (const filter of list(chain, 'filters')) {
        const config = at(filter, 'typedConfig');
        const type = typeOf(config);
        if (type.endsWith('.network.rbac.v3.RBAC')) collector.addRbac(config, port);
        if (text(filter, 'name') !== HCM && !type.endsWith('.HttpConnectionManager')) continue;
        for (const httpFilter of list(config, 'httpFilters')) {
          const httpConfig = at(httpFilter, 'typedConfig');
          const httpType = typeOf(httpConfig);
          if (httpType.endsWith('.http.rbac.v3.RBAC')) collector.addRbac(httpConfig, port);
          if (httpType.endsWith('.JwtAuthentication')) collector.addJwt(httpConfig, port);
        }
      }
    }
  }
  return collector.view();
}
