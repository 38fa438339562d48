// Runs the security golden cases: testdata/<case>/input.yaml (+ proxy.yaml, + jwks.yaml mapping a JWKS URI
// to the key set the control plane fetched) → security.golden.yaml, the security filters of every chain
// (with the order of the connection manager's HTTP filters) and the translation's warnings.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectGolden, gatewayNode, sidecarNode, snapshotFromYaml, type NodeOptions } from '@heddle/testkit';
import { translateProxy, type TranslationOutput } from '@heddle/translate';
import { ListenerSchema, xdsToJson } from '@heddle/xds';
import { parse, stringify } from 'yaml';

interface ProxyFile extends NodeOptions {
  readonly role?: 'sidecar' | 'router';
}

export const testdata = join(import.meta.dirname, '..', 'testdata');

export function translateSecurityCase(caseDir: string): TranslationOutput {
  const read = (name: string): unknown =>
    existsSync(join(caseDir, name)) ? parse(readFileSync(join(caseDir, name), 'utf8')) : undefined;
  const proxy = (read('proxy.yaml') ?? {}) as ProxyFile;
  const jwks = (read('jwks.yaml') ?? {}) as Record<string, unknown>;
  const snapshot = snapshotFromYaml(readFileSync(join(caseDir, 'input.yaml'), 'utf8'), {
    file: join(caseDir, 'input.yaml'),
  });
  const withJwks = {
    ...snapshot,
    jwks: new Map(
      Object.entries(jwks).map(([uri, set]) => [uri, typeof set === 'string' ? set : JSON.stringify(set)]),
    ),
  };
  return translateProxy(withJwks, proxy.role === 'router' ? gatewayNode(proxy) : sidecarNode(proxy));
}

type Json = Record<string, unknown>;

const SECURITY_HTTP = /^envoy\.filters\.http\.(rbac|jwt_authn|ext_authz)/;
const SECURITY_NETWORK = /^envoy\.filters\.network\.rbac/;

function chainSummary(chain: Json): Json | undefined {
  const filters = (chain.filters ?? []) as Json[];
  const network = filters.filter((f) => SECURITY_NETWORK.test(String(f.name)));
  const hcm = filters.find((f) => f.name === 'envoy.filters.network.http_connection_manager');
  const httpFilters = ((hcm?.typedConfig as Json | undefined)?.httpFilters ?? []) as Json[];
  const http = httpFilters.filter((f) => SECURITY_HTTP.test(String(f.name)));
  if (network.length === 0 && http.length === 0) return undefined;
  return {
    name: chain.name ?? '(default)',
    ...(network.length > 0 ? { networkFilters: network } : {}),
    ...(http.length > 0 ? { httpFilterOrder: httpFilters.map((f) => f.name), httpFilters: http } : {}),
  };
}

/** `inbound|8080||` for every transport variant of the port (`inbound|8080||mtls` …); other names as they are. */
function portChainName(name: unknown): string {
  const text = typeof name === 'string' ? name : '(default)';
  const inbound = /^(inbound\|\d+\|\|)/.exec(text);
  return inbound?.[1] ?? text;
}

/**
 * The security filters of every chain of every listener, in output order, and the warnings. The transport
 * variants of one inbound port (plaintext, mTLS) must carry the same security filters: they are shown once.
 */
export function securitySummary(output: TranslationOutput): Json {
  const listeners = output.listeners.flatMap((listener) => {
    const json = xdsToJson(ListenerSchema, listener) as Json;
    const chains = [
      ...((json.filterChains ?? []) as Json[]),
      ...(json.defaultFilterChain ? [json.defaultFilterChain as Json] : []),
    ];
    const byPort = new Map<string, Json>();
    for (const chain of chains) {
      const summary = chainSummary(chain);
      if (!summary) continue;
      const name = portChainName(chain.name);
      const seen = byPort.get(name);
      const entry = { ...summary, name };
      if (seen) assert.deepEqual(entry, seen, `variants of ${name} differ in their security filters`);
      else byPort.set(name, entry);
    }
    return byPort.size > 0 ? [{ name: json.name, chains: [...byPort.values()] }] : [];
  });
  return {
    listeners,
    warnings: output.warnings.map((w) => ({ code: w.code, resource: w.resource, message: w.message })),
  };
}

export function expectSecurityGolden(caseName: string): TranslationOutput {
  const dir = join(testdata, caseName);
  const output = translateSecurityCase(dir);
  expectGolden(
    stringify(securitySummary(output), { lineWidth: 0, aliasDuplicateObjects: false }),
    join(dir, 'security.golden.yaml'),
  );
  return output;
}
