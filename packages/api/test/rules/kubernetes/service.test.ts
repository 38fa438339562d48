import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

/** A Service with `spec` (indented two spaces): spec line N is file line N + 6. */
function service(spec: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n${spec
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n')}`;
}

describe('Service', () => {
  it('accepts named ports, appProtocol, and named target ports', () => {
    expectClean(
      service(`selector:
  app: reviews
ports:
- name: http-web
  port: 80
  targetPort: 8080
- name: grpc
  port: 9090
  targetPort: grpc-api
- name: metrics
  port: 9100
  appProtocol: http
- name: db
  port: 5432
  appProtocol: tcp
`),
    );
  });

  it('accepts an ExternalName Service with tcp-named ports', () => {
    expectClean(
      service('type: ExternalName\nexternalName: db.example.com\nports:\n- name: tcp-db\n  port: 5432\n'),
    );
  });

  it('requires at least one port', () => {
    expectFinding(service('selector: {app: reviews}\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.ports',
      line: 6,
    });
    expectNoFinding(service('clusterIP: None\nselector: {app: reviews}\n'), 'HEDDLE_REQUIRED_FIELD');
  });

  it('rejects ports outside 1-65535', () => {
    expectFinding(service('ports:\n- name: http\n  port: 0\n'), {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.ports[0].port',
      line: 9,
    });
  });

  it('rejects duplicate port numbers and names', () => {
    expectFinding(service('ports:\n- name: http\n  port: 80\n- name: http-alt\n  port: 80\n'), {
      code: 'HEDDLE_DUPLICATE_ENTRY',
      field: 'spec.ports[1].port',
      line: 11,
    });
    expectFinding(service('ports:\n- name: http\n  port: 80\n- name: http\n  port: 81\n'), {
      code: 'HEDDLE_DUPLICATE_ENTRY',
      field: 'spec.ports[1].name',
      line: 10,
    });
  });

  it('requires names when a Service has several ports', () => {
    expectFinding(service('ports:\n- name: http\n  port: 80\n- port: 81\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.ports[1].name',
      line: 10,
    });
  });

  it('rejects an invalid port name', () => {
    expectFinding(service('ports:\n- name: HTTP_Web\n  port: 80\n'), {
      code: 'HEDDLE_NAME_INVALID',
      line: 8,
    });
  });

  it('rejects a target port that is neither a port nor a port name', () => {
    expectFinding(service('ports:\n- name: http\n  port: 80\n  targetPort: 70000\n'), {
      code: 'HEDDLE_SERVICE_TARGET_PORT_INVALID',
      field: 'spec.ports[0].targetPort',
      line: 10,
    });
    expectFinding(service('ports:\n- name: http\n  port: 80\n  targetPort: a-very-long-port-name\n'), {
      code: 'HEDDLE_SERVICE_TARGET_PORT_INVALID',
      message: '15 characters',
    });
    expectFinding(service('ports:\n- name: http\n  port: 80\n  targetPort: "8080"\n'), {
      code: 'HEDDLE_SERVICE_TARGET_PORT_INVALID',
      message: 'without quotes',
    });
  });

  it('rejects an unknown transport protocol', () => {
    expectFinding(service('ports:\n- name: http\n  port: 80\n  protocol: HTTP\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: 'spec.ports[0].protocol',
      line: 10,
    });
  });

  it('notes a port without a protocol prefix or appProtocol (IST0118)', () => {
    expectFinding(service('ports:\n- name: web\n  port: 80\n'), {
      code: 'HEDDLE_SERVICE_PORT_PROTOCOL_UNSET',
      field: 'spec.ports[0].name',
      line: 8,
      level: 'Info',
      message: 'name it http-',
    });
    expectFinding(service('ports:\n- port: 80\n  targetPort: 8080\n'), {
      code: 'HEDDLE_SERVICE_PORT_PROTOCOL_UNSET',
      field: 'spec.ports[0]',
      line: 8,
      message: 'treat it as TCP',
    });
  });

  it('notes an appProtocol the mesh does not know', () => {
    expectFinding(service('ports:\n- name: http-web\n  port: 80\n  appProtocol: quic\n'), {
      code: 'HEDDLE_SERVICE_APP_PROTOCOL_UNKNOWN',
      line: 10,
      level: 'Info',
    });
  });

  it('notes that UDP ports are not proxied', () => {
    expectFinding(service('ports:\n- name: dns\n  port: 53\n  protocol: UDP\n'), {
      code: 'HEDDLE_SERVICE_UDP_NOT_PROXIED',
      line: 10,
      level: 'Info',
    });
  });

  it('warns about an ExternalName port without a protocol (IST0150)', () => {
    expectFinding(
      service('type: ExternalName\nexternalName: db.example.com\nports:\n- name: db\n  port: 5432\n'),
      {
        code: 'HEDDLE_SERVICE_EXTERNAL_NAME_PORT',
        field: 'spec.ports[0].name',
        line: 10,
        level: 'Warning',
        message: 'tcp-',
      },
    );
  });

  it('requires a valid externalName for ExternalName Services', () => {
    expectFinding(service('type: ExternalName\nports:\n- name: tcp\n  port: 1\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.externalName',
      line: 6,
    });
    expectFinding(service('type: ExternalName\nexternalName: "*.example.com"\n'), {
      code: 'HEDDLE_HOST_INVALID',
      line: 8,
    });
  });

  it('rejects an unknown Service type', () => {
    expectFinding(service('type: Loadbalancer\nports:\n- {name: http, port: 80}\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      line: 7,
      message: 'LoadBalancer',
    });
  });

  it('rejects invalid selector labels', () => {
    expectFinding(service('selector:\n  app: "*"\nports:\n- {name: http, port: 80}\n'), {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.selector.app',
      line: 8,
    });
  });

  it('rejects a Service name with dots', () => {
    expectFinding(
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews.v1\nspec:\n  ports: [{name: http, port: 80}]\n',
      {
        code: 'HEDDLE_METADATA_NAME_INVALID',
        line: 4,
      },
    );
  });
});
