// MAGLEV: stable per key, evenly spread, weight-proportional, and little remapping when a host leaves.
import { describe } from 'node:test';
import { Cluster_LbPolicy } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { consistentHashCases } from './helpers/consistent-hash-cases.ts';

describe('MAGLEV (default table size 65537)', { timeout: 20_000 }, () => {
  consistentHashCases(Cluster_LbPolicy.MAGLEV);
});

describe('MAGLEV (table size 1021)', { timeout: 20_000 }, () => {
  consistentHashCases(Cluster_LbPolicy.MAGLEV, {
    lbConfig: { case: 'maglevLbConfig', value: { tableSize: 1021n } },
  });
});
