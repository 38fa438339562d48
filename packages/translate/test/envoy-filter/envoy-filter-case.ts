// Runs one EnvoyFilter golden case: testdata/envoyfilter-<case>/input.yaml (validated like `heddle apply`),
// optional unvalidated.yaml (EnvoyFilters taken as written, as a Kubernetes API server would hand them over),
// and proxy.yaml (which proxy, and which xDS types to compare) → <type>.golden.yaml + warnings.golden.yaml.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvoyFilter } from '@heddle/api';
import {
  expectGolden,
  gatewayNode,
  outputToYaml,
  sidecarNode,
  snapshotFromYaml,
  type XdsTypeName,
} from '@heddle/testkit';
import { translateProxy, type MeshSnapshot, type ProxyNode, type TranslationOutput } from '@heddle/translate';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { ENVOY_FILTER_WARNINGS } from '../../src/envoy-filter/warning-codes.ts';

export const testdata = join(import.meta.dirname, '..', 'testdata');

interface CaseProxy {
  readonly role?: 'sidecar' | 'router';
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ip?: string;
  readonly version?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** `namespace/name` of the TLS credentials the secret store holds (gateway HTTPS servers). */
  readonly credentials?: readonly string[];
  /** xDS types with a golden file; lds by default. */
  readonly golden?: readonly XdsTypeName[];
}

export interface EnvoyFilterCase {
  readonly snapshot: MeshSnapshot;
  readonly node: ProxyNode;
  readonly golden: readonly XdsTypeName[];
}

export function loadCase(name: string): EnvoyFilterCase {
  const dir = join(testdata, name);
  const proxyPath = join(dir, 'proxy.yaml');
  const proxy = (existsSync(proxyPath) ? parse(readFileSync(proxyPath, 'utf8')) : {}) as CaseProxy;
  const base = proxy.role === 'router' ? gatewayNode(proxy) : sidecarNode(proxy);
  const node: ProxyNode = { ...base, ...(proxy.version ? { version: proxy.version } : {}) };
  let snapshot = snapshotFromYaml(readFileSync(join(dir, 'input.yaml'), 'utf8'), {
    file: join(dir, 'input.yaml'),
    credentials: proxy.credentials ?? [],
  });
  const unvalidatedPath = join(dir, 'unvalidated.yaml');
  if (existsSync(unvalidatedPath)) {
    const extra = parseAllDocuments(readFileSync(unvalidatedPath, 'utf8')).map((doc) => {
      const filter = doc.toJS() as EnvoyFilter;
      return { ...filter, metadata: { namespace: 'default', ...filter.metadata } };
    });
    snapshot = { ...snapshot, envoyFilters: [...snapshot.envoyFilters, ...extra] };
  }
  return { snapshot, node, golden: proxy.golden ?? ['lds'] };
}

const CODES = new Set<string>(Object.values(ENVOY_FILTER_WARNINGS));

export function envoyFilterWarnings(output: TranslationOutput): TranslationOutput['warnings'] {
  return output.warnings.filter((w) => CODES.has(w.code));
}

export function expectCaseGolden(name: string): TranslationOutput {
  const { snapshot, node, golden } = loadCase(name);
  const output = translateProxy(snapshot, node);
  const dir = join(testdata, name);
  for (const type of golden) expectGolden(outputToYaml(output, type), join(dir, `${type}.golden.yaml`));
  expectGolden(stringify(envoyFilterWarnings(output), { lineWidth: 0 }), join(dir, 'warnings.golden.yaml'));
  return output;
}

/** The same translation with every EnvoyFilter left out: what the patches are compared against. */
export function translateWithoutFilters(name: string): TranslationOutput {
  const { snapshot, node } = loadCase(name);
  return translateProxy({ ...snapshot, envoyFilters: [] }, node);
}
