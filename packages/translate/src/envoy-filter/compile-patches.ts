// Reads the EnvoyFilters that apply to a proxy into patches: checks applyTo and operation, keeps only patches
// whose `match.proxy` fits this proxy, and parses each value; a patch that cannot apply becomes a warning.
import type { EnvoyConfigObjectPatch, EnvoyFilter, ProxyMatch } from '@heddle/api';
import type { ProxyNode } from '../model/proxy-node.ts';
import type { TranslationWarning } from '../model/translation-output.ts';
import type { Patch, PatchOperation, PatchSet, PatchTarget } from './patch-model.ts';
import { parsePatchValue } from './patch-value.ts';
import { unsupportedHttpFilter, unsupportedNetworkFilter } from './proxy-support.ts';
import { ENVOY_FILTER_WARNINGS } from './warning-codes.ts';

/** What each applyTo accepts; Istio ignores the other operations (its analyzer flags them). */
const OPERATIONS: { readonly [T in PatchTarget]: ReadonlySet<PatchOperation> } = {
  LISTENER: new Set(['MERGE', 'ADD', 'REMOVE']),
  FILTER_CHAIN: new Set(['MERGE', 'ADD', 'REMOVE']),
  NETWORK_FILTER: new Set([
    'MERGE',
    'ADD',
    'REMOVE',
    'INSERT_BEFORE',
    'INSERT_AFTER',
    'INSERT_FIRST',
    'REPLACE',
  ]),
  HTTP_FILTER: new Set([
    'MERGE',
    'ADD',
    'REMOVE',
    'INSERT_BEFORE',
    'INSERT_AFTER',
    'INSERT_FIRST',
    'REPLACE',
  ]),
  ROUTE_CONFIGURATION: new Set(['MERGE']),
  VIRTUAL_HOST: new Set(['MERGE', 'ADD', 'REMOVE']),
  HTTP_ROUTE: new Set(['MERGE', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST']),
  CLUSTER: new Set(['MERGE', 'ADD', 'REMOVE']),
};

const UNSUPPORTED_TARGETS: Readonly<Record<string, string>> = {
  EXTENSION_CONFIG:
    'applyTo EXTENSION_CONFIG patches the Extension Config Discovery Service, which Heddle does not serve',
  BOOTSTRAP: 'applyTo BOOTSTRAP patches the proxy bootstrap, which Heddle does not generate over xDS',
  LISTENER_FILTER: 'applyTo LISTENER_FILTER is not applied by Heddle',
};

const DEFINES_FILTER = new Set<PatchOperation>([
  'ADD',
  'INSERT_BEFORE',
  'INSERT_AFTER',
  'INSERT_FIRST',
  'REPLACE',
]);

function isPatchTarget(value: string): value is PatchTarget {
  return value in OPERATIONS;
}

/** RE2 and JavaScript agree on the patterns people write for versions; one JS cannot run is reported. */
function proxyMatches(proxy: ProxyMatch | undefined, node: ProxyNode): boolean | { error: string } {
  if (!proxy) return true;
  if (proxy.proxyVersion !== undefined && proxy.proxyVersion !== '') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(proxy.proxyVersion);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    // A proxy that announces no version never matches a version pattern (Istio's rule).
    if (node.version === undefined || node.version === '' || !pattern.test(node.version)) return false;
  }
  return Object.entries(proxy.metadata ?? {}).every(([key, value]) => node.metadata[key] === value);
}

export interface CompiledPatches {
  readonly patches: PatchSet;
  readonly count: number;
}

export function compilePatches(
  filters: readonly EnvoyFilter[],
  node: ProxyNode,
  warn: (warning: TranslationWarning) => void,
): CompiledPatches {
  const sets: { [T in PatchTarget]: Patch<T>[] } = {
    LISTENER: [],
    FILTER_CHAIN: [],
    NETWORK_FILTER: [],
    HTTP_FILTER: [],
    ROUTE_CONFIGURATION: [],
    VIRTUAL_HOST: [],
    HTTP_ROUTE: [],
    CLUSTER: [],
  };
  let count = 0;
  for (const filter of filters) {
    const resource = `EnvoyFilter ${filter.metadata.namespace ?? 'default'}/${filter.metadata.name}`;
    (filter.spec.configPatches ?? []).forEach((raw, index) => {
      const skip = (code: string, reason: string) =>
        warn({ code, resource, message: `configPatches[${index}] is skipped: ${reason}` });
      const patch = compilePatch(raw, index, resource, node, skip, warn);
      if (!patch) return;
      (sets[patch.applyTo] as Patch[]).push(patch);
      count++;
    });
  }
  return { patches: sets, count };
}

function compilePatch(
  raw: EnvoyConfigObjectPatch,
  index: number,
  resource: string,
  node: ProxyNode,
  skip: (code: string, reason: string) => void,
  warn: (warning: TranslationWarning) => void,
): Patch | undefined {
  const applyTo = raw.applyTo ?? 'INVALID';
  if (!isPatchTarget(applyTo)) {
    skip(
      ENVOY_FILTER_WARNINGS.UNSUPPORTED_APPLY_TO,
      UNSUPPORTED_TARGETS[applyTo] ?? `applyTo ${applyTo} is not something Heddle can patch`,
    );
    return undefined;
  }
  const operation = raw.patch?.operation ?? 'INVALID';
  if (operation === 'INVALID' || !OPERATIONS[applyTo].has(operation)) {
    skip(
      ENVOY_FILTER_WARNINGS.OPERATION_IGNORED,
      operation === 'INVALID'
        ? 'it has no patch.operation'
        : `operation ${operation} does nothing for applyTo ${applyTo} (it takes ${[...OPERATIONS[applyTo]].join(', ')})`,
    );
    return undefined;
  }
  const context = raw.match?.context ?? 'ANY';
  if (context === 'WAYPOINT') return undefined;
  const proxy = proxyMatches(raw.match?.proxy, node);
  if (typeof proxy === 'object') {
    skip(
      ENVOY_FILTER_WARNINGS.INVALID_PROXY_VERSION,
      `match.proxy.proxyVersion is not a usable pattern: ${proxy.error}`,
    );
    return undefined;
  }
  if (!proxy) return undefined;
  let value: Patch['value'];
  if (operation !== 'REMOVE') {
    const parsed = parsePatchValue(applyTo, raw.patch?.value);
    if ('error' in parsed) {
      skip(ENVOY_FILTER_WARNINGS.INVALID_VALUE, parsed.error);
      return undefined;
    }
    value = parsed.value;
    if (DEFINES_FILTER.has(operation)) warnUnsupportedFilter(applyTo, value, index, resource, warn);
  }
  return {
    resource,
    index,
    applyTo,
    operation,
    context,
    match: raw.match,
    value,
    filterClass: raw.patch?.filterClass ?? 'UNSPECIFIED',
  };
}

function warnUnsupportedFilter(
  applyTo: PatchTarget,
  value: Patch['value'],
  index: number,
  resource: string,
  warn: (warning: TranslationWarning) => void,
): void {
  let type: string | undefined;
  let optional = false;
  let name = '';
  if (applyTo === 'HTTP_FILTER') {
    const filter = value as Patch<'HTTP_FILTER'>['value'] & object;
    type = unsupportedHttpFilter(filter);
    optional = filter.isOptional;
    name = filter.name;
  } else if (applyTo === 'NETWORK_FILTER') {
    const filter = value as Patch<'NETWORK_FILTER'>['value'] & object;
    type = unsupportedNetworkFilter(filter);
    name = filter.name;
  }
  if (type === undefined) return;
  warn({
    code: ENVOY_FILTER_WARNINGS.PROXY_UNSUPPORTED_FILTER,
    resource,
    message: optional
      ? `configPatches[${index}] adds ${name} (${type}), which Heddle's proxy does not implement; it is marked is_optional, so Heddle's proxy skips it while Envoy runs it`
      : `configPatches[${index}] adds ${name} (${type}), which Heddle's proxy does not implement: Envoy accepts the listener, Heddle's proxy NACKs it and keeps its last good configuration (set is_optional: true to have Heddle's proxy skip the filter)`,
  });
}
