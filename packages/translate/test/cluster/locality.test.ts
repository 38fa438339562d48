// Locality load balancing, as Istio computes it: pattern matching, failover ranks, label priorities,
// weighted distribution, and the grouping EDS emits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupByLocality, localitySettingFor, usesLocalityWeightedLb } from '../../src/cluster/locality.ts';
import { localityMatches, proxyLocality } from '../../src/cluster/locality-match.ts';
import {
  compactPriorities,
  failoverPriorityRank,
  failoverRank,
} from '../../src/cluster/locality-priority.ts';
import { distributeWeights } from '../../src/cluster/locality-weights.ts';
import { sidecarNode } from '@heddle/testkit';

const client = { region: 'us-east', zone: 'zone-a', subzone: 'sub-1' };

describe('localityMatches', () => {
  it('matches exact parts, `*` and missing trailing parts', () => {
    assert.ok(localityMatches(client, 'us-east'));
    assert.ok(localityMatches(client, 'us-east/*'));
    assert.ok(localityMatches(client, 'us-east/zone-a/sub-1'));
    assert.ok(localityMatches(client, '*'));
    assert.ok(!localityMatches(client, 'us-east/zone-b'));
    assert.ok(!localityMatches(client, 'us-west/*'));
    assert.ok(!localityMatches(undefined, 'us-east'));
  });
});

describe('failoverRank', () => {
  const failover = [{ from: 'us-east', to: 'us-west' }];
  it('prefers the subzone, then zone, region, failover region, anything else', () => {
    assert.equal(failoverRank(client, client, failover), 0);
    assert.equal(failoverRank(client, { ...client, subzone: 'sub-2' }, failover), 1);
    assert.equal(failoverRank(client, { region: 'us-east', zone: 'zone-b' }, failover), 2);
    assert.equal(failoverRank(client, { region: 'us-west' }, failover), 3);
    assert.equal(failoverRank(client, { region: 'eu-west' }, failover), 4);
    assert.equal(failoverRank(client, { region: 'us-west' }, []), 4);
  });
  it('treats a client and endpoints without locality as the same place', () => {
    assert.equal(failoverRank({}, undefined, []), 0);
  });
});

describe('failoverPriorityRank', () => {
  const keys = ['topology.istio.io/network', 'topology.kubernetes.io/region'];
  const me = { labels: { 'topology.istio.io/network': 'n1' }, locality: client };
  it('counts the leading labels the endpoint does not share', () => {
    assert.equal(
      failoverPriorityRank(keys, me, { labels: { 'topology.istio.io/network': 'n1' }, locality: client }),
      0,
    );
    assert.equal(
      failoverPriorityRank(keys, me, {
        labels: { 'topology.istio.io/network': 'n1' },
        locality: { region: 'x' },
      }),
      1,
    );
    assert.equal(
      failoverPriorityRank(keys, me, { labels: { 'topology.istio.io/network': 'n2' }, locality: client }),
      2,
    );
  });
  it('compares with the given value for `key=value`', () => {
    assert.equal(failoverPriorityRank(['tier=gold'], me, { labels: { tier: 'gold' } }), 0);
    assert.equal(failoverPriorityRank(['tier=gold'], me, { labels: { tier: 'silver' } }), 1);
  });
});

describe('compactPriorities', () => {
  it('keeps the order and closes the gaps', () => {
    assert.deepEqual(compactPriorities([4, 0, 2, 2]), [2, 0, 1, 1]);
  });
});

describe('distributeWeights', () => {
  const localities = [
    { locality: { region: 'us-east', zone: 'zone-a', subzone: 's1' }, weight: 1 },
    { locality: { region: 'us-east', zone: 'zone-a', subzone: 's2' }, weight: 3 },
    { locality: { region: 'us-east', zone: 'zone-b' }, weight: 5 },
    { locality: { region: 'us-west' }, weight: 1 },
  ];
  it('splits each share by the localities own weights and drops the unnamed ones', () => {
    const weights = distributeWeights(client, localities, {
      distribute: [{ from: 'us-east/zone-a/*', to: { 'us-east/zone-a/*': 80, 'us-east/zone-b/*': 20 } }],
    });
    assert.deepEqual(weights, [20, 60, 20, undefined]);
  });
  it('lets an exact pattern claim its locality before a wildcard', () => {
    const weights = distributeWeights(client, localities, {
      distribute: [{ from: '*', to: { '*': 10, 'us-west': 90 } }],
    });
    assert.deepEqual(weights, [2, 4, 6, 90]);
  });
  it('leaves weights alone when no rule is for the client', () => {
    const weights = distributeWeights(client, localities, {
      distribute: [{ from: 'eu-west', to: { '*': 100 } }],
    });
    assert.deepEqual(weights, [1, 3, 5, 1]);
  });
});

describe('groupByLocality', () => {
  const endpoints = [
    { id: 'a', locality: client, labels: {}, weight: 1 },
    { id: 'b', locality: client, labels: {}, weight: 2 },
    { id: 'c', locality: { region: 'eu-west' }, labels: {}, weight: 1 },
  ];
  const input = { client, clientLabels: {}, setting: {}, outlierDetection: true };
  it('sums endpoint weights per locality and ranks localities by failover', () => {
    const groups = groupByLocality(endpoints, input);
    assert.deepEqual(
      groups.map((g) => [g.priority, g.weight, g.endpoints.map((e) => e.id).join('')]),
      [
        [0, 3, 'ab'],
        [1, 1, 'c'],
      ],
    );
  });
  it('keeps one priority without outlier detection, or when locality balancing is off', () => {
    assert.ok(
      groupByLocality(endpoints, { ...input, outlierDetection: false }).every((g) => g.priority === 0),
    );
    assert.ok(groupByLocality(endpoints, { ...input, setting: undefined }).every((g) => g.priority === 0));
  });
});

describe('locality settings', () => {
  it('is on by default and off only when disabled', () => {
    assert.deepEqual(localitySettingFor(undefined), {});
    assert.equal(localitySettingFor({ localityLbSetting: { enabled: false } }), undefined);
  });
  it('turns on locality-weighted balancing for distribution, or explicit failover with outlier detection', () => {
    assert.ok(usesLocalityWeightedLb({ distribute: [{ from: '*', to: { '*': 100 } }] }, false));
    assert.ok(usesLocalityWeightedLb({ failover: [{ from: 'a', to: 'b' }] }, true));
    assert.ok(!usesLocalityWeightedLb({ failover: [{ from: 'a', to: 'b' }] }, false));
    assert.ok(!usesLocalityWeightedLb({}, true));
  });
  it('reads the proxy locality from Istio labels', () => {
    assert.deepEqual(proxyLocality(sidecarNode({ labels: { 'istio-locality': 'us-east.zone-a' } })), {
      region: 'us-east',
      zone: 'zone-a',
    });
    assert.deepEqual(
      proxyLocality(
        sidecarNode({
          labels: { 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'b' },
        }),
      ),
      { region: 'eu', zone: 'b' },
    );
    assert.deepEqual(proxyLocality(sidecarNode()), {});
  });
});
