// Runs the mTLS golden cases: testdata/security-mtls-*/input.yaml (+ proxy.yaml) → mtls.golden.yaml, the
// inbound side (listener filters, each chain's match and transport socket) and the client side (each
// outbound cluster's transport socket or transport socket matches), with the translation's warnings.
import { join } from 'node:path';
import { expectGolden, translateCase } from '@heddle/testkit';
import type { TranslationOutput } from '@heddle/translate';
import { ClusterSchema, ListenerSchema, xdsToJson } from '@heddle/xds';
import { stringify } from 'yaml';
import { testdata } from './security-case.ts';

type Json = Record<string, unknown>;

function chainSummary(chain: Json): Json {
  return {
    name: chain.name ?? '(default)',
    ...(chain.filterChainMatch ? { match: chain.filterChainMatch } : {}),
    // The terminal filter only: the filters ahead of it belong to authorization and telemetry cases.
    terminal: ((chain.filters ?? []) as Json[]).at(-1)?.name,
    ...(chain.transportSocket ? { transportSocket: chain.transportSocket } : {}),
  };
}

export function mtlsSummary(output: TranslationOutput): Json {
  const listeners = output.listeners.flatMap((listener) => {
    const json = xdsToJson(ListenerSchema, listener) as Json;
    const chains = (json.filterChains ?? []) as Json[];
    // Inbound listeners, and any listener terminating TLS (a gateway's servers).
    if (json.trafficDirection !== 'INBOUND' && !chains.some((c) => c.transportSocket)) return [];
    return [
      {
        name: json.name,
        listenerFilters: ((json.listenerFilters ?? []) as Json[]).map((f) => f.name),
        chains: chains.map(chainSummary),
      },
    ];
  });
  const clusters = output.clusters.flatMap((cluster) => {
    const json = xdsToJson(ClusterSchema, cluster) as Json;
    if (!String(json.name).startsWith('outbound|')) return [];
    return [
      {
        name: json.name,
        ...(json.transportSocket ? { transportSocket: json.transportSocket } : {}),
        ...(json.transportSocketMatches ? { transportSocketMatches: json.transportSocketMatches } : {}),
      },
    ];
  });
  return {
    listeners,
    clusters,
    warnings: output.warnings.map((w) => ({ code: w.code, resource: w.resource, message: w.message })),
  };
}

export function expectMtlsGolden(caseName: string): TranslationOutput {
  const dir = join(testdata, caseName);
  const output = translateCase(dir);
  expectGolden(
    stringify(mtlsSummary(output), { lineWidth: 0, aliasDuplicateObjects: false }),
    join(dir, 'mtls.golden.yaml'),
  );
  return output;
}
