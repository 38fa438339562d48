import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

/** A Sidecar in namespace "shop"; the first line of `body` is line 5. */
function sidecar(body: string): string {
  return `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec:
${body}`;
}

describe('Sidecar: accepted configurations', () => {
  it('accepts a namespace default limiting egress to this namespace and istio-system', () => {
    expectClean(sidecar('  egress:\n  - hosts: ["./*", "istio-system/*"]\n'));
  });

  it('accepts ingress listeners forwarding to loopback, any address or a socket', () => {
    expectClean(
      sidecar(`  workloadSelector:
    labels: {app: ratings}
  ingress:
  - port: {number: 9080, protocol: HTTP, name: http}
    defaultEndpoint: 127.0.0.1:8080
  - port: {number: 9081, protocol: HTTP, name: http-v6}
    defaultEndpoint: "[::1]:8081"
  - port: {number: 9082, protocol: TCP, name: tcp}
    defaultEndpoint: 0.0.0.0:8082
  - port: {number: 9083, protocol: HTTP, name: http-uds}
    defaultEndpoint: unix:///var/run/ratings.sock
  - port: {number: 9443, protocol: HTTPS, name: https}
    tls:
      mode: SIMPLE
      serverCertificate: /etc/certs/cert.pem
      privateKey: /etc/certs/key.pem
  - port: {number: 9090, protocol: GRPC, name: grpc}
  egress:
  - port: {number: 3306, protocol: MYSQL, name: mysql}
    bind: 127.0.0.1
    hosts: ["*/mysql.example.com"]
  - port: {number: 0, protocol: HTTP, name: uds}
    bind: unix:///var/run/egress.sock
    captureMode: NONE
    hosts: ["./*"]
  - hosts: ["~/*"]
  outboundTrafficPolicy:
    mode: ALLOW_ANY
    egressProxy:
      host: egress.istio-system.svc.cluster.local
      subset: v1
      port: {number: 80}
`),
    );
  });
});

describe('Sidecar: selector and content', () => {
  it('rejects invalid selector labels and warns about an empty selector', () => {
    expectFinding(sidecar('  workloadSelector:\n    labels: {"": x}\n  egress: [{hosts: ["./*"]}]\n'), {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.workloadSelector.labels[""]',
      line: 6,
    });
    expectFinding(sidecar('  workloadSelector: {labels: {}}\n  egress: [{hosts: ["./*"]}]\n'), {
      code: 'HEDDLE_SELECTOR_EMPTY',
      field: 'spec.workloadSelector.labels',
      line: 5,
      level: 'Warning',
    });
  });

  it('rejects a Sidecar that configures nothing', () => {
    expectFinding(sidecar('  workloadSelector: {labels: {app: a}}\n'), {
      code: 'HEDDLE_EMPTY_SPEC',
      field: 'spec',
      line: 4,
    });
  });
});

describe('Sidecar: ingress listeners', () => {
  it('requires a port on every ingress listener (schema)', () => {
    expectFinding(sidecar('  ingress:\n  - defaultEndpoint: 127.0.0.1:8080\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.ingress[0].port',
      line: 6,
    });
  });

  it('rejects defaultEndpoint forms other than loopback, any address or a socket', () => {
    const at = (endpoint: string) =>
      sidecar(`  ingress:\n  - port: {number: 9080, protocol: HTTP}\n    defaultEndpoint: "${endpoint}"\n`);
    for (const endpoint of [
      '10.0.0.5:8080',
      'localhost:8080',
      '127.0.0.1',
      '127.0.0.1:http',
      'unix://rel.sock',
    ]) {
      expectFinding(at(endpoint), {
        code: 'HEDDLE_SIDECAR_DEFAULT_ENDPOINT_INVALID',
        field: 'spec.ingress[0].defaultEndpoint',
        line: 7,
      });
    }
    expectFinding(at('127.0.0.1:70000'), {
      code: 'HEDDLE_SIDECAR_DEFAULT_ENDPOINT_INVALID',
      message: '1 to 65535',
    });
    expectNoFinding(at(':8080'), 'HEDDLE_SIDECAR_DEFAULT_ENDPOINT_INVALID');
  });

  it('rejects duplicate ingress ports, targetPort, bad names, protocols, numbers and bind addresses', () => {
    const yaml = sidecar(`  ingress:
  - port: {number: 9080, protocol: HTTP}
  - port:
      number: 9080
      protocol: HTTP
      name: Web_Port
      targetPort: 8080
  - port: {number: 0, protocol: HTTQ}
    bind: localhost
`);
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.ingress[1].port.number', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_NAME_INVALID', field: 'spec.ingress[1].port.name', line: 10 });
    expectFinding(yaml, {
      code: 'HEDDLE_SIDECAR_TARGET_PORT',
      field: 'spec.ingress[1].port.targetPort',
      line: 11,
    });
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.ingress[2].port.number', line: 12 });
    expectFinding(yaml, {
      code: 'HEDDLE_PROTOCOL_UNKNOWN',
      field: 'spec.ingress[2].port.protocol',
      line: 12,
    });
    expectFinding(yaml, { code: 'HEDDLE_IP_INVALID', field: 'spec.ingress[2].bind', line: 13 });
  });

  it('rejects TLS settings a sidecar cannot use', () => {
    const yaml = sidecar(`  ingress:
  - port: {number: 9443, protocol: HTTPS}
    tls:
      mode: ISTIO_MUTUAL
      credentialName: my-secret
      subjectAltNames: [a]
      httpsRedirect: true
  - port: {number: 9080, protocol: HTTP}
    tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}
`);
    const code = 'HEDDLE_SIDECAR_INGRESS_TLS_INVALID';
    expectFinding(yaml, { code, field: 'spec.ingress[0].tls.mode', line: 8 });
    expectFinding(yaml, { code, field: 'spec.ingress[0].tls.credentialName', line: 9 });
    expectFinding(yaml, { code, field: 'spec.ingress[0].tls.subjectAltNames', line: 10 });
    expectFinding(yaml, { code, field: 'spec.ingress[0].tls.httpsRedirect', line: 11 });
    expectFinding(yaml, { code, field: 'spec.ingress[1].tls', line: 13, message: 'HTTPS or TLS port' });
  });

  it('warns that HTTP pool settings do not apply to a non-HTTP port', () => {
    expectFinding(
      sidecar(`  ingress:
  - port: {number: 3306, protocol: TCP}
    connectionPool:
      http: {http2MaxRequests: 10}
`),
      {
        code: 'HEDDLE_SIDECAR_HTTP_POOL_NON_HTTP',
        field: 'spec.ingress[0].connectionPool.http',
        line: 8,
        level: 'Warning',
      },
    );
  });
});

describe('Sidecar: egress listeners', () => {
  it('allows one listener without port, and only as the last one', () => {
    expectFinding(
      sidecar('  egress:\n  - hosts: ["./*"]\n  - port: {number: 80, protocol: HTTP}\n    hosts: ["./*"]\n'),
      {
        code: 'HEDDLE_SIDECAR_EGRESS_CATCH_ALL',
        field: 'spec.egress[0]',
        line: 6,
        message: 'last',
      },
    );
    expectFinding(sidecar('  egress:\n  - hosts: ["./*"]\n  - hosts: ["istio-system/*"]\n'), {
      code: 'HEDDLE_SIDECAR_EGRESS_CATCH_ALL',
      field: 'spec.egress[1]',
      line: 7,
      message: 'only one',
    });
  });

  it('rejects duplicate egress ports and Unix socket binds', () => {
    const yaml = sidecar(`  egress:
  - port: {number: 80, protocol: HTTP}
    hosts: ["./*"]
  - port: {number: 80, protocol: HTTP}
    hosts: ["./*"]
  - port: {number: 0, protocol: HTTP}
    bind: unix:///run/a.sock
    hosts: ["./*"]
  - port: {number: 0, protocol: HTTP}
    bind: unix:///run/a.sock
    hosts: ["./*"]
`);
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.egress[1].port.number', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.egress[3].bind', line: 14 });
  });

  it('needs a unix:// bind and DEFAULT or NONE capture for port 0', () => {
    expectFinding(
      sidecar('  egress:\n  - port: {number: 0, protocol: HTTP}\n    bind: 127.0.0.1\n    hosts: ["./*"]\n'),
      {
        code: 'HEDDLE_SIDECAR_UNIX_BIND',
        field: 'spec.egress[0].bind',
        line: 7,
      },
    );
    expectFinding(
      sidecar(`  egress:
  - port: {number: 0, protocol: HTTP}
    bind: unix:///run/a.sock
    captureMode: IPTABLES
    hosts: ["./*"]
`),
      { code: 'HEDDLE_SIDECAR_UNIX_BIND', field: 'spec.egress[0].captureMode', line: 8 },
    );
  });

  it('needs at least one host per egress listener', () => {
    expectFinding(sidecar('  egress:\n  - hosts: []\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.egress[0].hosts',
      line: 6,
    });
  });

  it('rejects hosts not of the form namespace/dnsName', () => {
    const yaml = sidecar(`  egress:
  - hosts:
    - reviews.shop.svc.cluster.local
    - "/reviews"
    - "Bad_NS/*"
    - "./*.a*b.com"
`);
    const code = 'HEDDLE_SIDECAR_EGRESS_HOST_INVALID';
    expectFinding(yaml, {
      code,
      field: 'spec.egress[0].hosts[0]',
      line: 7,
      message: '"./reviews.shop.svc.cluster.local"',
    });
    expectFinding(yaml, { code, field: 'spec.egress[0].hosts[1]', line: 8 });
    expectFinding(yaml, { code, field: 'spec.egress[0].hosts[2]', line: 9 });
    expectFinding(yaml, { code, field: 'spec.egress[0].hosts[3]', line: 10 });
  });

  it('warns about repeated hosts and hosts next to "*/*"', () => {
    expectFinding(sidecar('  egress:\n  - hosts:\n    - "shop/*"\n    - "./reviews"\n'), {
      code: 'HEDDLE_DUPLICATE_ENTRY',
      field: 'spec.egress[0].hosts[1]',
      line: 8,
      level: 'Warning',
    });
    expectFinding(sidecar('  egress:\n  - hosts: ["*/*", "istio-system/*"]\n'), {
      code: 'HEDDLE_DUPLICATE_ENTRY',
      field: 'spec.egress[0].hosts',
      line: 6,
      message: '"*/*"',
    });
  });
});

describe('Sidecar: outbound traffic policy', () => {
  it('rejects an unknown mode (schema)', () => {
    expectFinding(sidecar('  outboundTrafficPolicy: {mode: ALLOW_ALL}\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: 'spec.outboundTrafficPolicy.mode',
      line: 5,
      message: 'ALLOW_ANY',
    });
  });

  it('allows egressProxy only with ALLOW_ANY', () => {
    expectFinding(
      sidecar(`  outboundTrafficPolicy:
    mode: REGISTRY_ONLY
    egressProxy: {host: egress.example.com, port: {number: 80}}
`),
      { code: 'HEDDLE_SIDECAR_EGRESS_PROXY_INVALID', field: 'spec.outboundTrafficPolicy.mode', line: 6 },
    );
  });

  it('needs a resolvable egressProxy host and a port', () => {
    const yaml = sidecar(`  outboundTrafficPolicy:
    mode: ALLOW_ANY
    egressProxy:
      host: "*.example.com"
`);
    expectFinding(yaml, {
      code: 'HEDDLE_HOST_INVALID',
      field: 'spec.outboundTrafficPolicy.egressProxy.host',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.outboundTrafficPolicy.egressProxy.port',
      line: 7,
    });
  });
});
