// Inbound clusters of an explicit-capture sidecar: the mesh reaches the workload on its registered ports,
// the proxy forwards to the app on loopback at the port `appPorts` maps (or the same port).
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { translateProxy, type ProxyNode } from '@heddle/translate';
import { expectGolden, outputToYaml, sidecarNode, snapshotFromYaml } from '@heddle/testkit';

const caseDir = join(import.meta.dirname, '..', 'testdata', 'cluster-inbound-explicit');

const node: ProxyNode = {
  ...sidecarNode({
    name: 'product',
    namespace: 'shop',
    labels: { app: 'product', version: 'v2' },
    ip: '127.0.0.1',
  }),
  capture: 'explicit',
  outboundPort: 15001,
  appPorts: { '15101': 8080 },
};

function translate() {
  const input = readFileSync(join(caseDir, 'input.yaml'), 'utf8');
  return translateProxy(snapshotFromYaml(input, { file: join(caseDir, 'input.yaml') }), node);
}

describe('inbound clusters with explicit capture', () => {
  it('matches the golden files', () => {
    const output = translate();
    expectGolden(outputToYaml(output, 'cds'), join(caseDir, 'cds.golden.yaml'));
    expectGolden(outputToYaml(output, 'eds'), join(caseDir, 'eds.golden.yaml'));
  });

  it('forwards each registered port to the app port on loopback', () => {
    const inbound = translate().clusters.filter((c) => c.name.startsWith('inbound|'));
    const targets = inbound.map((c) => {
      const address = c.loadAssignment?.endpoints[0]?.lbEndpoints[0]?.hostIdentifier;
      const socket =
        address?.case === 'endpoint' && address.value.address?.address.case === 'socketAddress'
          ? address.value.address.address.value
          : undefined;
      return `${c.name} -> ${socket?.address}:${socket?.portSpecifier.value}`;
    });
    assert.deepEqual(targets, [
      'inbound|15101|| -> 127.0.0.1:8080',
      'inbound|15102|| -> 127.0.0.1:15102',
      'inbound|9443|| -> 127.0.0.1:8443',
    ]);
  });
});
