import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

/** A WorkloadGroup; the first line of `body` is line 5. */
function workloadGroup(body: string): string {
  return `apiVersion: networking.istio.io/v1
kind: WorkloadGroup
metadata: {name: billing, namespace: shop}
spec:
${body}`;
}

describe('WorkloadGroup: accepted configurations', () => {
  it('accepts a template, metadata labels and an HTTP probe', () => {
    expectClean(
      workloadGroup(`  metadata:
    labels: {app: billing}
    annotations: {team: payments}
  template:
    ports: {http: 8080}
    serviceAccount: billing
    network: vm-net
  probe:
    initialDelaySeconds: 5
    periodSeconds: 10
    httpGet:
      path: /ready
      port: 8080
      scheme: HTTPS
      httpHeaders: [{name: X-Probe, value: "1"}]
`),
    );
  });

  it('accepts tcpSocket, exec and grpc probes', () => {
    for (const method of [
      'tcpSocket: {port: 3306}',
      'exec: {command: [/bin/ready]}',
      'grpc: {port: 9090, service: health}',
    ]) {
      expectClean(workloadGroup(`  template: {serviceAccount: billing}\n  probe:\n    ${method}\n`));
    }
  });
});

describe('WorkloadGroup: template', () => {
  it('requires a template (schema)', () => {
    expectFinding(workloadGroup('  metadata: {labels: {app: billing}}\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.template',
      line: 4,
    });
  });

  it('warns that a template address or template labels do not belong there', () => {
    const yaml = workloadGroup(`  template:
    address: 10.0.0.9
    labels: {app: billing}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_GROUP_TEMPLATE_FIELD',
      field: 'spec.template.address',
      line: 6,
      level: 'Warning',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_GROUP_TEMPLATE_FIELD',
      field: 'spec.template.labels',
      line: 7,
      message: 'spec.metadata.labels',
    });
  });

  it('checks template ports, locality, network and service account like a WorkloadEntry', () => {
    const yaml = workloadGroup(`  template:
    ports: {http: 0}
    locality: "/zone"
    network: "bad net"
    serviceAccount: Not_Valid
`);
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.template.ports.http', line: 6 });
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_LOCALITY_INVALID',
      field: 'spec.template.locality',
      line: 7,
    });
    expectFinding(yaml, { code: 'HEDDLE_WORKLOAD_NETWORK_INVALID', field: 'spec.template.network', line: 8 });
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_SERVICE_ACCOUNT_INVALID',
      field: 'spec.template.serviceAccount',
      line: 9,
    });
  });
});

describe('WorkloadGroup: metadata', () => {
  it('rejects invalid metadata labels', () => {
    expectFinding(workloadGroup('  template: {}\n  metadata:\n    labels:\n      "app*": billing\n'), {
      code: 'HEDDLE_LABEL_INVALID',
      field: 'spec.metadata.labels["app*"]',
      line: 8,
    });
  });
});

describe('WorkloadGroup: probe', () => {
  it('needs exactly one probe method', () => {
    expectFinding(workloadGroup('  template: {}\n  probe:\n    periodSeconds: 5\n'), {
      code: 'HEDDLE_WORKLOAD_GROUP_PROBE_METHOD',
      field: 'spec.probe',
      line: 6,
    });
    expectFinding(
      workloadGroup(
        '  template: {}\n  probe:\n    tcpSocket: {port: 80}\n    exec: {command: [/bin/true]}\n',
      ),
      { code: 'HEDDLE_SCHEMA_ONE_OF', field: 'spec.probe', line: 6 },
    );
  });

  it('rejects negative periods, timeouts and thresholds (schema)', () => {
    expectFinding(
      workloadGroup('  template: {}\n  probe:\n    timeoutSeconds: -1\n    tcpSocket: {port: 80}\n'),
      {
        code: 'HEDDLE_SCHEMA_INVALID',
        field: 'spec.probe.timeoutSeconds',
        line: 7,
      },
    );
  });

  it('rejects probe ports outside 1..65535', () => {
    expectFinding(workloadGroup('  template: {}\n  probe:\n    httpGet:\n      port: 65536\n'), {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.probe.httpGet.port',
      line: 8,
    });
    expectFinding(workloadGroup('  template: {}\n  probe:\n    tcpSocket: {port: 0}\n'), {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.probe.tcpSocket.port',
      line: 7,
    });
  });

  it('rejects an httpGet scheme other than HTTP or HTTPS', () => {
    expectFinding(
      workloadGroup('  template: {}\n  probe:\n    httpGet:\n      port: 80\n      scheme: http\n'),
      {
        code: 'HEDDLE_WORKLOAD_GROUP_PROBE_SCHEME',
        field: 'spec.probe.httpGet.scheme',
        line: 9,
        message: 'upper case',
      },
    );
  });

  it('requires a command for an exec probe', () => {
    expectFinding(workloadGroup('  template: {}\n  probe:\n    exec:\n      command: []\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.probe.exec.command',
      line: 8,
    });
  });
});
