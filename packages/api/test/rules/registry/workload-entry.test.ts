import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

/** A WorkloadEntry; the first line of `body` is line 5. */
function workloadEntry(body: string): string {
  return `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-1, namespace: shop}
spec:
${body}`;
}

describe('WorkloadEntry: accepted configurations', () => {
  it('accepts a VM with an IP address, ports, labels and placement', () => {
    expectClean(
      workloadEntry(`  address: 10.0.0.7
  ports: {http: 8080, grpc-admin: 9090}
  labels: {app: billing, version: v2}
  locality: eu-west1/eu-west1-a
  network: vm-network
  serviceAccount: billing
  weight: 3
`),
    );
  });

  it('accepts a host name, a Unix socket, or no address when a network is named', () => {
    expectClean(workloadEntry('  address: vm-7.example.internal\n'));
    expectClean(workloadEntry('  address: unix:///var/run/billing.sock\n'));
    expectClean(workloadEntry('  address: unix://@abstract-billing\n'));
  });
});

describe('WorkloadEntry: address', () => {
  it('requires an address unless a network is set', () => {
    expectFinding(workloadEntry('  labels: {app: billing}\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.address',
      line: 4,
      level: 'Error',
    });
  });

  it('warns that a workload without address is reached only through its network gateway', () => {
    expectFinding(workloadEntry('  network: remote-net\n'), {
      code: 'HEDDLE_WORKLOAD_ADDRESS_UNSET',
      field: 'spec.address',
      line: 4,
      level: 'Warning',
      message: 'remote-net',
    });
  });

  it('rejects addresses that are neither IPs, host names nor sockets', () => {
    expectFinding(workloadEntry('  labels: {app: billing}\n  address: "not an address"\n'), {
      code: 'HEDDLE_WORKLOAD_ADDRESS_INVALID',
      field: 'spec.address',
      line: 6,
    });
    expectFinding(workloadEntry('  address: "unix://"\n'), {
      code: 'HEDDLE_WORKLOAD_ADDRESS_INVALID',
      field: 'spec.address',
      line: 5,
      message: 'names no socket',
    });
  });

  it('rejects ports on a Unix socket address', () => {
    expectFinding(workloadEntry('  address: unix:///var/run/app.sock\n  ports:\n    http: 8080\n'), {
      code: 'HEDDLE_WORKLOAD_UNIX_PORTS',
      field: 'spec.ports',
      line: 6,
    });
  });
});

describe('WorkloadEntry: ports, labels and placement', () => {
  it('rejects invalid port names and numbers outside 1..65535', () => {
    const yaml = workloadEntry(`  address: 10.0.0.7
  ports:
    HTTP_Main: 8080
    metrics: 70000
`);
    expectFinding(yaml, { code: 'HEDDLE_NAME_INVALID', field: 'spec.ports.HTTP_Main', line: 7 });
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.ports.metrics', line: 8 });
  });

  it('rejects invalid label keys and values', () => {
    const yaml = workloadEntry(`  address: 10.0.0.7
  labels:
    app: "has space"
    a/b/c: x
`);
    expectFinding(yaml, { code: 'HEDDLE_LABEL_INVALID', field: 'spec.labels.app', line: 7 });
    expectFinding(yaml, { code: 'HEDDLE_LABEL_INVALID', field: 'spec.labels["a/b/c"]', line: 8 });
  });

  it('warns about a malformed locality', () => {
    expectFinding(workloadEntry('  address: 10.0.0.7\n  locality: a/b/c/d\n'), {
      code: 'HEDDLE_WORKLOAD_LOCALITY_INVALID',
      field: 'spec.locality',
      line: 6,
      level: 'Warning',
    });
    expectFinding(workloadEntry('  address: 10.0.0.7\n  locality: "us-east1/*"\n'), {
      code: 'HEDDLE_WORKLOAD_LOCALITY_INVALID',
      field: 'spec.locality',
      line: 6,
    });
  });

  it('warns about a network name that cannot be a label value', () => {
    expectFinding(workloadEntry('  address: 10.0.0.7\n  network: "net/one"\n'), {
      code: 'HEDDLE_WORKLOAD_NETWORK_INVALID',
      field: 'spec.network',
      line: 6,
      level: 'Warning',
    });
  });

  it('rejects a service account that is not a DNS-1123 name', () => {
    expectFinding(workloadEntry('  address: 10.0.0.7\n  serviceAccount: Billing\n'), {
      code: 'HEDDLE_WORKLOAD_SERVICE_ACCOUNT_INVALID',
      field: 'spec.serviceAccount',
      line: 6,
      level: 'Error',
    });
  });

  it('rejects a negative weight (schema)', () => {
    expectFinding(workloadEntry('  address: 10.0.0.7\n  weight: -1\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.weight',
      line: 6,
    });
  });
});
