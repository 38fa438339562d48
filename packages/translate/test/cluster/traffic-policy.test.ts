// The merge order of DestinationRule policies: rule → rule's port level → subset → subset's port level,
// each level replacing whole sections.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DestinationRuleSpec } from '@heddle/api';
import { effectivePolicy } from '../../src/cluster/traffic-policy.ts';

const rule: DestinationRuleSpec = {
  host: 'reviews',
  trafficPolicy: {
    loadBalancer: { simple: 'RANDOM' },
    connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } },
    outlierDetection: { consecutive5xxErrors: 1 },
    tls: { mode: 'ISTIO_MUTUAL' },
    portLevelSettings: [
      { port: { number: 80 }, connectionPool: { tcp: { maxConnections: 2 } } },
      { port: { number: 80 }, connectionPool: { tcp: { maxConnections: 99 } } },
      { port: { number: 443 }, tls: { mode: 'SIMPLE' } },
    ],
  },
  subsets: [
    {
      name: 'v1',
      labels: { version: 'v1' },
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN' },
        portLevelSettings: [{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 3 } } }],
      },
    },
    { name: 'v2', labels: { version: 'v2' } },
  ],
};

describe('effectivePolicy', () => {
  it('takes the rule policy when neither port nor subset overrides it', () => {
    const policy = effectivePolicy(rule, 8080, '');
    assert.equal(policy.loadBalancer?.simple, 'RANDOM');
    assert.equal(policy.connectionPool?.tcp?.maxConnections, 1);
    assert.equal(policy.tls?.mode, 'ISTIO_MUTUAL');
  });

  it('lets the first portLevelSettings entry for the port replace a whole section', () => {
    const policy = effectivePolicy(rule, 80, '');
    assert.deepEqual(
      policy.connectionPool,
      { tcp: { maxConnections: 2 } },
      'http settings of the rule are not merged in',
    );
    assert.equal(policy.loadBalancer?.simple, 'RANDOM');
  });

  it('puts the subset policy over the rule port level, and the subset port level over everything', () => {
    const onOtherPort = effectivePolicy(rule, 443, 'v1');
    assert.equal(onOtherPort.loadBalancer?.simple, 'ROUND_ROBIN');
    assert.equal(onOtherPort.tls?.mode, 'SIMPLE', 'rule port level survives where the subset is silent');
    assert.equal(effectivePolicy(rule, 80, 'v1').connectionPool?.tcp?.maxConnections, 3);
  });

  it('gives a subset without a policy the rule policy for the port', () => {
    assert.deepEqual(effectivePolicy(rule, 80, 'v2'), effectivePolicy(rule, 80, ''));
  });

  it('is empty without a rule', () => {
    const policy = effectivePolicy(undefined, 80, '');
    assert.equal(policy.loadBalancer, undefined);
    assert.equal(policy.connectionPool, undefined);
    assert.equal(policy.outlierDetection, undefined);
    assert.equal(policy.tls, undefined);
  });
});
