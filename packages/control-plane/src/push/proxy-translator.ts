// Translates the current snapshot for one proxy and serializes the result; a failure is counted, logged, and
// leaves the proxy on its last config. Streams of identical nodes (a proxy reconnecting, or holding two streams)
// share one result per snapshot.
import type { MeshIndex, MeshSnapshot, ProxyNode, TranslationOutput } from '@heddle/translate';
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { Logger } from '../server/logger.ts';
import { proxyResourcesFrom, type ProxyResources } from '../xds/proxy-resources.ts';
import type { MeshState, MeshStateView } from './mesh-state.ts';

/** The translator's signature (translateProxy); tests inject a fake. */
export type TranslateFn = (snapshot: MeshSnapshot, node: ProxyNode, index?: MeshIndex) => TranslationOutput;

export interface ProxyTranslatorOptions {
  readonly state: MeshState;
  readonly translate: TranslateFn;
  readonly metrics: PilotMetrics;
  readonly logger: Logger;
}

export type ProxyTranslator = (node: ProxyNode) => ProxyResources | undefined;

export function createProxyTranslator(options: ProxyTranslatorOptions): ProxyTranslator {
  // Per snapshot, results by node. The whole node is the key: the output names the node id (stats filter), so
  // replicas that differ only in their id do not share.
  const shared = new WeakMap<MeshStateView, Map<string, WeakRef<ProxyResources>>>();
  return (node) => {
    const current = options.state.current();
    if (!current) return undefined;
    let results = shared.get(current);
    if (!results) {
      results = new Map();
      shared.set(current, results);
    }
    const key = translationKey(node);
    const held = results.get(key)?.deref();
    if (held) return held;
    try {
      const output = options.translate(current.snapshot, node, current.index);
      for (const warning of output.warnings)
        options.logger.debug('translation warning', { proxy: node.id, ...warning });
      const resources = proxyResourcesFrom(output);
      results.set(key, new WeakRef(resources));
      return resources;
    } catch (error) {
      options.metrics.pushErrors.inc({ type: 'translate' });
      options.metrics.internalErrors.inc({ type: 'translate' });
      options.logger.error(
        'HEDDLE_XDS_TRANSLATE_FAILED: translation failed; the proxy keeps its last config',
        {
          proxy: node.id,
          error: error instanceof Error ? error.message : String(error),
        },
      );
      return undefined;
    }
  };
}

/** The node as JSON; nodes are built field by field in one order, so equal nodes give equal keys. */
export function translationKey(node: ProxyNode): string {
  return JSON.stringify(node);
}
