// Runs one golden translation case: testdata/<case>/input.yaml (+ optional proxy.yaml) → <type>.golden.yaml.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { translateProxy, type ProxyNode, type TranslationOutput } from '@heddle/translate';
import { parse } from 'yaml';
import { expectGolden } from './golden.ts';
import { gatewayNode, sidecarNode, type NodeOptions } from './proxy-nodes.ts';
import { snapshotFromYaml } from './snapshot-from-yaml.ts';
import { outputToYaml, type XdsTypeName } from './xds-yaml.ts';

interface ProxyFile extends NodeOptions {
  readonly role?: 'sidecar' | 'router';
  readonly credentials?: readonly string[];
}

export function translateCase(caseDir: string): TranslationOutput {
  const input = readFileSync(join(caseDir, 'input.yaml'), 'utf8');
  const proxyPath = join(caseDir, 'proxy.yaml');
  const proxy = (existsSync(proxyPath) ? parse(readFileSync(proxyPath, 'utf8')) : {}) as ProxyFile;
  const node: ProxyNode = proxy.role === 'router' ? gatewayNode(proxy) : sidecarNode(proxy);
  const snapshot = snapshotFromYaml(input, {
    file: join(caseDir, 'input.yaml'),
    credentials: proxy.credentials ?? [],
  });
  return translateProxy(snapshot, node);
}

/** Compares every xDS type of the case with its golden file. */
export function expectTranslationGolden(
  caseDir: string,
  types: readonly XdsTypeName[] = ['lds', 'rds', 'cds', 'eds'],
): TranslationOutput {
  const output = translateCase(caseDir);
  for (const type of types) expectGolden(outputToYaml(output, type), join(caseDir, `${type}.golden.yaml`));
  return output;
}
