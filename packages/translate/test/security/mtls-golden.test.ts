// Golden mTLS translation for every testdata/security-mtls-* case (the comment opening each input says what
// it shows), plus the properties each mode must have whatever the golden says: STRICT never leaves a
// plaintext way in, PERMISSIVE pairs its mTLS chain with a raw_buffer one, gateways keep their own TLS.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { translateCase } from '@heddle/testkit';
import { ListenerSchema, xdsToJson } from '@heddle/xds';
import { expectMtlsGolden, mtlsSummary } from './mtls-case.ts';
import { testdata } from './security-case.ts';

const cases = readdirSync(testdata)
  .filter((name) => name.startsWith('security-mtls-'))
  .sort();

function title(caseName: string): string {
  const lines = readFileSync(join(testdata, caseName, 'input.yaml'), 'utf8').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('# '));
  return `${caseName}: ${lines
    .slice(0, end)
    .map((line) => line.slice(2))
    .join(' ')}`;
}

type Json = Record<string, unknown>;
interface Chain {
  readonly name: string;
  readonly match?: Json;
  readonly transportSocket?: Json;
}

/** The inbound chains of a case's virtualInbound, keyed by destination port. */
function inboundChains(caseName: string): Map<number, Chain[]> {
  const output = translateCase(join(testdata, caseName));
  const summary = mtlsSummary(output) as { listeners: { name: string; chains: Chain[] }[] };
  const inbound = summary.listeners.find((l) => l.name === 'virtualInbound');
  const byPort = new Map<number, Chain[]>();
  for (const chain of inbound?.chains ?? []) {
    const port = chain.match?.destinationPort as number | undefined;
    if (port === undefined || port === 15006) continue;
    byPort.set(port, [...(byPort.get(port) ?? []), chain]);
  }
  return byPort;
}

function modeOf(chains: readonly Chain[]): 'STRICT' | 'PERMISSIVE' | 'DISABLE' {
  const tls = chains.filter((c) => c.transportSocket);
  if (tls.length === 0) return 'DISABLE';
  if (chains.length === 1) return 'STRICT';
  return 'PERMISSIVE';
}

describe('PeerAuthentication and client mTLS (golden)', () => {
  for (const name of cases) {
    it(title(name), () => {
      expectMtlsGolden(name);
    });
  }
});

describe('PeerAuthentication modes and precedence', () => {
  const expectModes = (caseName: string, expected: Record<number, string>): void => {
    const chains = inboundChains(caseName);
    const modes = Object.fromEntries([...chains].map(([port, c]) => [port, modeOf(c)]));
    assert.deepEqual(modes, expected);
  };

  it('defaults to PERMISSIVE', () =>
    expectModes('security-mtls-default-permissive', { 8080: 'PERMISSIVE', 9090: 'PERMISSIVE' }));
  it('applies a mesh-wide policy from the root namespace', () =>
    expectModes('security-mtls-mesh-strict', { 8080: 'STRICT', 9090: 'STRICT' }));
  it('lets the namespace override the mesh', () =>
    expectModes('security-mtls-namespace-over-mesh', { 8080: 'PERMISSIVE', 9090: 'PERMISSIVE' }));
  it('lets a selector policy override the namespace, and its port level override it', () =>
    expectModes('security-mtls-workload-over-namespace', { 8080: 'DISABLE', 9090: 'STRICT' }));
  it('inherits through UNSET', () =>
    expectModes('security-mtls-unset-inherits', { 8080: 'STRICT', 9090: 'PERMISSIVE' }));
  it('takes the oldest policy of a level', () =>
    expectModes('security-mtls-oldest-wins', { 8080: 'STRICT', 9090: 'STRICT' }));

  it('never leaves a plaintext chain or a transport match on a STRICT port', () => {
    for (const chain of inboundChains('security-mtls-mesh-strict').get(8080) ?? []) {
      assert.equal(chain.match?.transportProtocol, undefined);
      const tls = (chain.transportSocket?.typedConfig ?? {}) as Json;
      assert.equal(tls.requireClientCertificate, true);
    }
  });

  it('matches PERMISSIVE variants on tls and raw_buffer', () => {
    const chains = inboundChains('security-mtls-default-permissive').get(8080) ?? [];
    assert.deepEqual(
      chains.map((c) => [c.match?.transportProtocol, c.transportSocket !== undefined]),
      [
        ['tls', true],
        ['raw_buffer', false],
      ],
    );
  });

  it('leaves gateway listeners exactly as without PeerAuthentication', () => {
    const withPolicy = translateCase(join(testdata, 'security-mtls-gateway-unaffected'));
    const json = withPolicy.listeners.map((l) => xdsToJson(ListenerSchema, l));
    assert.ok(json.length > 0);
    // The same listeners as the listener-gateway-tls case, which has no PeerAuthentication.
    const without = translateCase(join(testdata, 'listener-gateway-tls'));
    assert.deepEqual(
      json,
      without.listeners.map((l) => xdsToJson(ListenerSchema, l)),
    );
  });
});
