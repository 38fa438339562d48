import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

/** A ServiceEntry in namespace "shop"; the first line of `body` is line 5. */
function serviceEntry(body: string): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se, namespace: shop}
spec:
${body}`;
}

describe('ServiceEntry: accepted configurations', () => {
  it('accepts an external HTTPS API resolved by DNS', () => {
    expectClean(
      serviceEntry(`  hosts: [api.example.com]
  location: MESH_EXTERNAL
  ports:
  - {number: 443, name: tls, protocol: TLS}
  resolution: DNS
`),
    );
  });

  it('accepts VM endpoints with ports, labels, locality, network, service account and weight', () => {
    expectClean(
      serviceEntry(`  hosts: [billing.shop.internal]
  addresses: [240.0.0.10]
  location: MESH_INTERNAL
  ports:
  - {number: 80, name: http, protocol: HTTP, targetPort: 8080}
  resolution: STATIC
  endpoints:
  - address: 10.0.0.5
    ports: {http: 8081}
    labels: {app: billing, version: v1}
    locality: us-east1/us-east1-b/rack-1
    network: vm-net
    serviceAccount: billing
    weight: 10
  - address: 2001:db8::5
`),
    );
  });

  it('accepts endpoints chosen by a workload selector', () => {
    expectClean(
      serviceEntry(`  hosts: [billing.shop.internal]
  ports:
  - {number: 80, name: http, protocol: HTTP}
  resolution: STATIC
  workloadSelector:
    labels: {app: billing}
`),
    );
  });

  it('accepts a Unix domain socket endpoint on a single-port ServiceEntry', () => {
    expectClean(
      serviceEntry(`  hosts: [local.socket]
  ports:
  - {number: 80, name: http, protocol: HTTP}
  resolution: STATIC
  endpoints:
  - address: unix:///var/run/app.sock
`),
    );
  });

  it('accepts wildcard hosts with resolution NONE and with DYNAMIC_DNS', () => {
    expectClean(
      serviceEntry(`  hosts: ["*.example.com"]
  ports:
  - {number: 80, name: http, protocol: HTTP}
  resolution: NONE
`),
    );
    expectClean(
      serviceEntry(`  hosts: ["*.example.com"]
  location: MESH_EXTERNAL
  ports:
  - {number: 443, name: tls, protocol: TLS}
  resolution: DYNAMIC_DNS
`),
    );
  });

  it('accepts a TCP service with a virtual IP and DNS endpoints given by host name', () => {
    expectClean(
      serviceEntry(`  hosts: [db.example.com]
  addresses: [240.0.0.5]
  ports:
  - {number: 27017, name: mongo, protocol: MONGO}
  resolution: DNS
  endpoints:
  - address: mongo-1.example.com
`),
    );
  });

  it('accepts several hosts on HTTP and TLS ports', () => {
    expectClean(
      serviceEntry(`  hosts: [a.example.com, b.example.com]
  ports:
  - {number: 80, name: http, protocol: HTTP}
  - {number: 443, name: https, protocol: HTTPS}
  resolution: DNS
`),
    );
  });

  it('accepts exportTo with ".", namespace names, and "~" alone', () => {
    expectClean(
      serviceEntry(`  hosts: [api.example.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
  exportTo: [".", istio-system]
`),
    );
    expectClean(
      serviceEntry(`  hosts: [api.example.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
  exportTo: ["~"]
`),
    );
  });
});

describe('ServiceEntry: hosts and addresses', () => {
  it('requires at least one host (schema)', () => {
    expectFinding(serviceEntry('  hosts: []\n  resolution: NONE\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.hosts',
      line: 5,
    });
  });

  it('rejects the bare "*" host', () => {
    expectFinding(serviceEntry('  hosts: ["*"]\n  resolution: NONE\n'), {
      code: 'HEDDLE_HOST_INVALID',
      field: 'spec.hosts[0]',
      line: 5,
      level: 'Error',
      message: '*.example.com',
    });
  });

  it('rejects a host that is not a DNS name', () => {
    expectFinding(
      serviceEntry('  hosts:\n  - ok.example.com\n  - bad_host.example.com\n  resolution: NONE\n'),
      {
        code: 'HEDDLE_HOST_INVALID',
        field: 'spec.hosts[1]',
        line: 7,
      },
    );
  });

  it('warns about a partial wildcard host', () => {
    expectFinding(serviceEntry('  hosts: ["*foo.example.com"]\n  resolution: NONE\n'), {
      code: 'HEDDLE_SERVICE_ENTRY_PARTIAL_WILDCARD',
      field: 'spec.hosts[0]',
      line: 5,
      level: 'Warning',
      message: '"*.foo.example.com"',
    });
  });

  it('rejects an address that is neither an IP nor a CIDR block', () => {
    expectFinding(serviceEntry('  hosts: [a.example.com]\n  addresses:\n  - 10.0.0.1\n  - 10.0.0.300\n'), {
      code: 'HEDDLE_IP_INVALID',
      field: 'spec.addresses[1]',
      line: 8,
    });
  });

  it('rejects CIDR addresses unless resolution is NONE or STATIC', () => {
    const yaml = serviceEntry(`  hosts: [a.example.com]
  addresses: [10.1.0.0/16]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
`);
    expectFinding(yaml, {
      code: 'HEDDLE_SERVICE_ENTRY_CIDR_RESOLUTION',
      field: 'spec.addresses[0]',
      line: 6,
      level: 'Error',
    });
    expectNoFinding(
      yaml.replace('resolution: DNS', 'resolution: NONE'),
      'HEDDLE_SERVICE_ENTRY_CIDR_RESOLUTION',
    );
  });
});

describe('ServiceEntry: workload selector and endpoints', () => {
  it('rejects workloadSelector together with endpoints', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  resolution: STATIC
  workloadSelector: {labels: {app: a}}
  endpoints:
  - address: 10.0.0.1
`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.endpoints', line: 8, level: 'Error' },
    );
  });

  it('rejects wildcard selector labels and warns about an empty selector', () => {
    expectFinding(serviceEntry('  hosts: [a.example.com]\n  workloadSelector:\n    labels: {app: "*"}\n'), {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.workloadSelector.labels.app',
      line: 7,
    });
    expectFinding(serviceEntry('  hosts: [a.example.com]\n  workloadSelector: {}\n'), {
      code: 'HEDDLE_SELECTOR_EMPTY',
      field: 'spec.workloadSelector.labels',
      line: 6,
      level: 'Warning',
    });
  });
});

describe('ServiceEntry: ports', () => {
  it('rejects duplicate port names and numbers', () => {
    const yaml = serviceEntry(`  hosts: [a.example.com]
  ports:
  - {number: 80, name: http, protocol: HTTP}
  - {number: 80, name: http, protocol: HTTP}
`);
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.ports[1].name', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.ports[1].number', line: 8 });
  });

  it('rejects port names that are not DNS labels, and out-of-range numbers and target ports', () => {
    const yaml = serviceEntry(`  hosts: [a.example.com]
  ports:
  - name: Http_Port
    number: 70000
    protocol: HTTP
    targetPort: 65536
`);
    expectFinding(yaml, { code: 'HEDDLE_NAME_INVALID', field: 'spec.ports[0].name', line: 7 });
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.ports[0].number', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.ports[0].targetPort', line: 10 });
  });

  it('rejects an unknown protocol and suggests the closest one', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  ports:
  - name: web
    number: 80
    protocol: HTPP
`),
      { code: 'HEDDLE_PROTOCOL_UNKNOWN', field: 'spec.ports[0].protocol', line: 9, message: 'HTTP' },
    );
  });

  it('accepts protocols in any case', () => {
    expectNoFinding(
      serviceEntry('  hosts: [a.example.com]\n  ports: [{number: 80, name: http, protocol: http}]\n'),
      'HEDDLE_PROTOCOL_UNKNOWN',
    );
  });

  it('warns that TCP ports and ports without protocol need addresses', () => {
    const yaml = serviceEntry(`  hosts: [db.example.com]
  ports:
  - name: pg
    number: 5432
    protocol: TCP
  - name: other
    number: 7000
  resolution: DNS
`);
    expectFinding(yaml, {
      code: 'HEDDLE_SERVICE_ENTRY_ADDRESSES_REQUIRED',
      field: 'spec.ports[0].protocol',
      line: 9,
      level: 'Warning',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_SERVICE_ENTRY_ADDRESSES_REQUIRED',
      field: 'spec.ports[1]',
      line: 10,
      level: 'Warning',
    });
    expectNoFinding(
      yaml.replace('ports:', 'addresses: [240.0.0.9]\n  ports:'),
      'HEDDLE_SERVICE_ENTRY_ADDRESSES_REQUIRED',
    );
  });
});

describe('ServiceEntry: resolution NONE and STATIC', () => {
  it('rejects endpoints with resolution NONE and warns about a selector', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints:
  - address: 10.0.0.1
`),
      { code: 'HEDDLE_SERVICE_ENTRY_NONE_WITH_ENDPOINTS', field: 'spec.endpoints', line: 7, level: 'Error' },
    );
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: NONE
  workloadSelector: {labels: {app: a}}
`),
      {
        code: 'HEDDLE_SERVICE_ENTRY_NONE_WITH_SELECTOR',
        field: 'spec.workloadSelector',
        line: 8,
        level: 'Warning',
      },
    );
  });

  it('rejects host names as STATIC endpoints', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - address: backend.example.com
`),
      {
        code: 'HEDDLE_WORKLOAD_ADDRESS_INVALID',
        field: 'spec.endpoints[0].address',
        line: 9,
        message: 'resolution DNS',
      },
    );
  });

  it('requires an endpoint address unless a network is named', () => {
    const yaml = serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - labels: {app: a}
`);
    expectFinding(yaml, { code: 'HEDDLE_REQUIRED_FIELD', field: 'spec.endpoints[0].address', line: 9 });
    expectFinding(yaml.replace('labels: {app: a}', 'network: east'), {
      code: 'HEDDLE_WORKLOAD_ADDRESS_UNSET',
      field: 'spec.endpoints[0].address',
      line: 9,
      level: 'Warning',
    });
  });

  it('rejects endpoint ports that name no service port, and invalid endpoint port numbers', () => {
    const yaml = serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - address: 10.0.0.1
    ports:
      grpc: 9090
      http: 0
`);
    expectFinding(yaml, {
      code: 'HEDDLE_SERVICE_ENTRY_ENDPOINT_PORT_UNKNOWN',
      field: 'spec.endpoints[0].ports.grpc',
      line: 11,
      message: 'ports: http',
    });
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.endpoints[0].ports.http', line: 12 });
  });

  it('rejects Unix socket endpoints with ports, with a relative path, or on a multi-port ServiceEntry', () => {
    const yaml = serviceEntry(`  hosts: [a.example.com]
  ports:
  - {number: 80, name: http, protocol: HTTP}
  - {number: 81, name: http-admin, protocol: HTTP}
  resolution: STATIC
  endpoints:
  - address: unix:///var/run/app.sock
    ports: {http: 80}
  - address: unix://relative.sock
`);
    expectFinding(yaml, { code: 'HEDDLE_WORKLOAD_UNIX_PORTS', field: 'spec.endpoints[0].ports', line: 12 });
    expectFinding(yaml, {
      code: 'HEDDLE_SERVICE_ENTRY_UNIX_PORT_COUNT',
      field: 'spec.endpoints[0].address',
      line: 11,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_ADDRESS_INVALID',
      field: 'spec.endpoints[1].address',
      line: 13,
      message: 'absolute path',
    });
  });

  it('checks endpoint labels, locality, network and service account', () => {
    const yaml = serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - address: 10.0.0.1
    labels: {"bad key": x}
    locality: us-east1//rack
    network: "-east"
    serviceAccount: Billing_SA
`);
    expectFinding(yaml, {
      code: 'HEDDLE_LABEL_INVALID',
      field: 'spec.endpoints[0].labels["bad key"]',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_LOCALITY_INVALID',
      field: 'spec.endpoints[0].locality',
      line: 11,
      level: 'Warning',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_NETWORK_INVALID',
      field: 'spec.endpoints[0].network',
      line: 12,
      level: 'Warning',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_WORKLOAD_SERVICE_ACCOUNT_INVALID',
      field: 'spec.endpoints[0].serviceAccount',
      line: 13,
      level: 'Error',
    });
  });

  it('rejects endpoint weights of one locality that add up past 2^32-1', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - {address: 10.0.0.1, locality: us-east1, weight: 4294967295}
  - {address: 10.0.0.2, locality: us-west1, weight: 5}
  - {address: 10.0.0.3, locality: us-east1, weight: 1}
`),
      { code: 'HEDDLE_SERVICE_ENTRY_WEIGHT_OVERFLOW', field: 'spec.endpoints[2].weight', line: 11 },
    );
  });
});

describe('ServiceEntry: resolution DNS and DNS_ROUND_ROBIN', () => {
  it('rejects wildcard hosts when there are no endpoints to resolve', () => {
    expectFinding(
      serviceEntry(`  hosts: ["*.example.com"]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
`),
      {
        code: 'HEDDLE_SERVICE_ENTRY_DNS_HOST_NOT_FQDN',
        field: 'spec.hosts[0]',
        line: 5,
        message: 'resolution NONE',
      },
    );
  });

  it('rejects DNS endpoints that are neither IPs nor host names', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
  endpoints:
  - address: bad_name.example.com
`),
      { code: 'HEDDLE_WORKLOAD_ADDRESS_INVALID', field: 'spec.endpoints[0].address', line: 9 },
    );
  });

  it('allows at most one endpoint with DNS_ROUND_ROBIN', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS_ROUND_ROBIN
  endpoints:
  - address: a1.example.com
  - address: a2.example.com
`),
      { code: 'HEDDLE_SERVICE_ENTRY_DNS_ROUND_ROBIN_ENDPOINTS', field: 'spec.endpoints[1]', line: 10 },
    );
  });

  it('warns when several hosts share a virtual IP on a TCP port', () => {
    expectFinding(
      serviceEntry(`  hosts: [a.example.com, b.example.com]
  addresses: [240.0.0.7]
  ports: [{number: 5432, name: pg, protocol: TCP}]
  resolution: DNS
`),
      {
        code: 'HEDDLE_SERVICE_ENTRY_MULTIPLE_HOSTS_TCP',
        field: 'spec.hosts',
        line: 5,
        level: 'Warning',
      },
    );
  });
});

describe('ServiceEntry: resolution DYNAMIC_DNS', () => {
  it('needs wildcard hosts, no addresses or endpoints, HTTP/TLS ports and location MESH_EXTERNAL', () => {
    const yaml = serviceEntry(`  hosts: [api.example.com]
  addresses: [240.0.0.1]
  ports:
  - name: db
    number: 5432
    protocol: TCP
  resolution: DYNAMIC_DNS
  endpoints:
  - address: 10.0.0.1
`);
    const code = 'HEDDLE_SERVICE_ENTRY_DYNAMIC_DNS';
    expectFinding(yaml, { code, field: 'spec.hosts[0]', line: 5, message: '*.example.com' });
    expectFinding(yaml, { code, field: 'spec.addresses', line: 6 });
    expectFinding(yaml, { code, field: 'spec.endpoints', line: 12 });
    expectFinding(yaml, { code, field: 'spec.ports[0].protocol', line: 10 });
    expectFinding(yaml, { code, field: 'spec', line: 4, message: 'MESH_EXTERNAL' });
  });
});

describe('ServiceEntry: several hosts', () => {
  it('rejects several hosts on a TCP port without addresses', () => {
    const yaml = serviceEntry(`  hosts:
  - a.example.com
  - b.example.com
  ports: [{number: 5432, name: pg, protocol: TCP}]
  resolution: DNS
`);
    expectFinding(yaml, {
      code: 'HEDDLE_SERVICE_ENTRY_MULTIPLE_HOSTS_TCP',
      field: 'spec.hosts',
      line: 5,
      level: 'Error',
    });
    expectNoFinding(
      yaml.replace('resolution: DNS', 'resolution: NONE'),
      'HEDDLE_SERVICE_ENTRY_MULTIPLE_HOSTS_TCP',
    );
  });
});

describe('ServiceEntry: exportTo', () => {
  const withExportTo = (list: string): string =>
    serviceEntry(`  hosts: [api.example.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
  exportTo: ${list}
`);

  it('rejects entries that are not namespaces', () => {
    expectFinding(withExportTo('[".", Not_A_Namespace]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      line: 8,
    });
  });

  it('rejects duplicates, counting "." as the own namespace', () => {
    expectFinding(withExportTo('[team-a, team-a]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      message: 'listed twice',
    });
    expectFinding(withExportTo('[".", shop]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      line: 8,
      message: 'own namespace "shop"',
    });
  });

  it('rejects "*" or "~" combined with other entries', () => {
    expectFinding(withExportTo('[team-a, "*"]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      line: 8,
      message: 'every namespace',
    });
    expectFinding(withExportTo('["~", team-a]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[0]',
      line: 8,
      message: 'cannot be combined',
    });
  });
});

describe('ServiceEntry: likely mistakes (seed 001-37)', () => {
  const seed = `# cross-cluster service
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata:
  name: remote-service
spec:
  hosts:
  - productcatalog.prod.svc.cluster.local
  location: MESH_EXTERNAL
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: DNS
  addresses:
  - 192.168.1.100  # remote cluster address
`;

  it('warns that an address with DNS resolution is not where traffic is sent', () => {
    expectFinding(seed, {
      code: 'HEDDLE_SERVICE_ENTRY_ADDRESS_NOT_ENDPOINT',
      field: 'spec.addresses[0]',
      line: 16,
      level: 'Warning',
      message: 'endpoints: [{address: 192.168.1.100}]',
    });
  });

  it('notes that a cluster-local host declared MESH_EXTERNAL is treated as outside the mesh', () => {
    expectFinding(seed, {
      code: 'HEDDLE_SERVICE_ENTRY_CLUSTER_LOCAL_EXTERNAL',
      field: 'spec.hosts[0]',
      line: 8,
      level: 'Info',
      message: 'MESH_INTERNAL',
    });
  });

  it('reports the address only as Info when the port is TCP, where a virtual IP is often deliberate', () => {
    expectFinding(seed.replace('protocol: HTTP', 'protocol: TCP'), {
      code: 'HEDDLE_SERVICE_ENTRY_ADDRESS_NOT_ENDPOINT',
      level: 'Info',
    });
  });
});
