// Translates the current snapshot for one proxy and serializes the result; a failure is counted, logged, and
// leaves the proxy on its last config.
import type { MeshIndex, MeshSnapshot, ProxyNode, TranslationOutput } from '@heddle/translate';
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { Logger } from '../server/logger.ts';
import { proxyResourcesFrom, type ProxyResources } from '../xds/proxy-resources.ts';
import type { MeshState } from './mesh-state.ts';

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
  return (node) => {
    const current = options.state.current();
    if (!current) return undefined;
    try {
      const output = options.translate(current.snapshot, node, current.index);
      for (const warning of output.warnings)
        options.logger.debug('translation warning', { proxy: node.id, ...warning });
      return proxyResourcesFrom(output);
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
