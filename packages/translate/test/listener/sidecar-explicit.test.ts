// LDS for explicit-capture sidecars: an HTTP proxy on loopback, and inbound listeners on the workload address.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectGolden, outputToYaml, sidecarNode, snapshotFromYaml } from '@heddle/testkit';
import { translateProxy, type ProxyNode } from '@heddle/translate';
import { caseDir } from './case-dir.ts';

const dir = caseDir('listener-sidecar-explicit');

function explicitNode(overrides: Partial<ProxyNode> = {}): ProxyNode {
  return {
    ...sidecarNode({ name: 'productpage-1', labels: { app: 'productpage' }, ip: '192.168.1.10' }),
    capture: 'explicit',
    outboundPort: 15080,
    appPorts: { '19080': 9080 },
    ...overrides,
  };
}

describe('explicit capture sidecar listeners', () => {
  const snapshot = snapshotFromYaml(readFileSync(join(dir, 'input.yaml'), 'utf8'));

  it('listens as an HTTP proxy on loopback and in front of each registered endpoint port', () => {
    const output = translateProxy(snapshot, explicitNode());
    expectGolden(outputToYaml(output, 'lds'), join(dir, 'lds.golden.yaml'));
    assert.deepEqual(
      output.listeners.map((l) => l.name),
      ['127.0.0.1_15080', '192.168.1.10_19080', '192.168.1.10_19090'],
    );
  });

  it('opens no transparent-capture listeners', () => {
    const names = translateProxy(snapshot, explicitNode()).listeners.map((l) => l.name);
    assert.ok(!names.includes('virtualOutbound') && !names.includes('virtualInbound'));
  });

  it('falls back to port 15001 when the node names no outbound port', () => {
    const { outboundPort: _unused, ...node } = explicitNode();
    const names = translateProxy(snapshot, node).listeners.map((l) => l.name);
    assert.ok(names.includes('127.0.0.1_15001'));
  });
});
