// A ServiceEntry becomes one mesh service per host, with endpoints as its resolution says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servicesFromServiceEntry } from '../../src/index.ts';
import { object, workload } from './helpers.ts';

const PORTS = [
  { number: 80, name: 'http', protocol: 'HTTP' },
  { number: 443, name: 'tls', protocol: 'TLS', targetPort: 8443 },
];

describe('servicesFromServiceEntry', () => {
  it('makes one service per host with the ports, Istio defaults (MESH_EXTERNAL, NONE) and exportTo *', () => {
    const services = servicesFromServiceEntry(
      object('external', { hosts: ['a.example.com', 'b.example.com'], ports: PORTS }),
      [],
    );
    assert.deepEqual(
      services.map((s) => s.hostname),
      ['a.example.com', 'b.example.com'],
    );
    const [first] = services;
    assert.deepEqual(first, {
      hostname: 'a.example.com',
      namespace: 'default',
      name: 'external',
      ports: [
        { name: 'http', number: 80, protocol: 'HTTP' },
        { name: 'tls', number: 443, protocol: 'TLS', targetPort: 8443 },
      ],
      resolution: 'NONE',
      location: 'MESH_EXTERNAL',
      addresses: [],
      exportTo: ['*'],
      endpoints: [],
      origin: 'ServiceEntry default/external',
    });
  });

  it('treats a port without a known protocol as TCP', () => {
    const [service] = servicesFromServiceEntry(
      object('db', { hosts: ['db.internal'], ports: [{ number: 5432, name: 'pg' }] }),
      [],
    );
    assert.equal(service?.ports[0]?.protocol, 'TCP');
  });

  describe('resolution', () => {
    it('DNS without endpoints resolves each host itself, on targetPort when set', () => {
      const services = servicesFromServiceEntry(
        object('httpbin', { hosts: ['httpbin.org', 'www.httpbin.org'], ports: PORTS, resolution: 'DNS' }),
        [],
      );
      assert.deepEqual(
        services.map((s) => [
          s.resolution,
          s.endpoints.map((e) => `${e.address} ${JSON.stringify(e.ports)} ${e.tlsMode}`),
        ]),
        [
          ['DNS', ['httpbin.org {"http":80,"tls":8443} disabled']],
          ['DNS', ['www.httpbin.org {"http":80,"tls":8443} disabled']],
        ],
      );
    });

    it('DNS_ROUND_ROBIN with inline endpoints uses those endpoints for every host', () => {
      const services = servicesFromServiceEntry(
        object('api', {
          hosts: ['api.example.com'],
          ports: PORTS,
          resolution: 'DNS_ROUND_ROBIN',
          endpoints: [
            { address: 'us.api.example.com' },
            { address: 'eu.api.example.com', ports: { http: 8080 } },
          ],
        }),
        [],
      );
      assert.equal(services[0]?.resolution, 'DNS_ROUND_ROBIN');
      assert.deepEqual(
        services[0]?.endpoints.map((e) => [e.address, e.ports]),
        [
          ['eu.api.example.com', { http: 8080, tls: 8443 }],
          ['us.api.example.com', { http: 80, tls: 8443 }],
        ],
      );
    });

    it('STATIC uses inline endpoints with their labels, locality, network and weight', () => {
      const [service] = servicesFromServiceEntry(
        object('legacy', {
          hosts: ['legacy.internal'],
          location: 'MESH_INTERNAL',
          resolution: 'STATIC',
          addresses: ['240.0.0.10'],
          ports: [{ number: 8080, name: 'http', protocol: 'HTTP' }],
          endpoints: [
            { address: '10.1.0.2', labels: { version: 'v2' }, locality: 'r1/z1', network: 'n1', weight: 2 },
            { address: '10.1.0.1', labels: { version: 'v1' } },
          ],
        }),
        [],
      );
      assert.equal(service?.location, 'MESH_INTERNAL');
      assert.deepEqual(service?.addresses, ['240.0.0.10']);
      assert.deepEqual(service?.endpoints, [
        {
          address: '10.1.0.1',
          ports: { http: 8080 },
          labels: { version: 'v1' },
          serviceAccount: 'default',
          namespace: 'default',
          healthy: true,
          tlsMode: 'disabled',
        },
        {
          address: '10.1.0.2',
          ports: { http: 8080 },
          labels: { version: 'v2' },
          serviceAccount: 'default',
          namespace: 'default',
          locality: { region: 'r1', zone: 'z1' },
          network: 'n1',
          weight: 2,
          healthy: true,
          tlsMode: 'disabled',
        },
      ]);
    });

    it('NONE without endpoints has no endpoints (passthrough to the original destination)', () => {
      const [service] = servicesFromServiceEntry(
        object('wiki', { hosts: ['*.wikipedia.org'], ports: PORTS, resolution: 'NONE' }),
        [],
      );
      assert.equal(service?.resolution, 'NONE');
      assert.deepEqual(service?.endpoints, []);
    });

    it('gives unix socket endpoints port 0', () => {
      const [service] = servicesFromServiceEntry(
        object('sock', {
          hosts: ['sock.local'],
          resolution: 'STATIC',
          ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
          endpoints: [{ address: 'unix:///var/run/app.sock' }],
        }),
        [],
      );
      assert.deepEqual(service?.endpoints[0]?.ports, { http: 0 });
    });
  });

  describe('workloadSelector', () => {
    const workloads = [
      workload({
        name: 'ratings-1',
        address: '10.0.0.1',
        labels: { app: 'ratings', version: 'v1' },
        ports: { http: 9080 },
      }),
      workload({ name: 'ratings-2', address: '10.0.0.2', labels: { app: 'ratings', version: 'v2' } }),
      workload({
        name: 'ratings-other-ns',
        address: '10.0.0.3',
        namespace: 'other',
        labels: { app: 'ratings' },
      }),
      workload({ name: 'reviews-1', address: '10.0.0.4', labels: { app: 'reviews' } }),
    ];

    it('selects workloads by labels in the same namespace only', () => {
      const [service] = servicesFromServiceEntry(
        object('ratings', {
          hosts: ['ratings.vm'],
          location: 'MESH_INTERNAL',
          resolution: 'STATIC',
          ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
          workloadSelector: { labels: { app: 'ratings' } },
        }),
        workloads,
      );
      assert.deepEqual(
        service?.endpoints.map((e) => `${e.workloadName} ${e.address}:${e.ports.http} ${e.tlsMode}`),
        // The workload's own port of that name wins over targetPort.
        ['ratings-1 10.0.0.1:9080 istio', 'ratings-2 10.0.0.2:8080 istio'],
      );
    });

    it('narrows with more labels', () => {
      const [service] = servicesFromServiceEntry(
        object('ratings-v2', {
          hosts: ['ratings-v2.vm'],
          resolution: 'STATIC',
          ports: [{ number: 80, name: 'http' }],
          workloadSelector: { labels: { app: 'ratings', version: 'v2' } },
        }),
        workloads,
      );
      assert.deepEqual(
        service?.endpoints.map((e) => e.workloadName),
        ['ratings-2'],
      );
    });

    it('does not resolve the host itself for DNS when a selector is set', () => {
      const [service] = servicesFromServiceEntry(
        object('none', {
          hosts: ['none.vm'],
          resolution: 'DNS',
          ports: [{ number: 80, name: 'http' }],
          workloadSelector: { labels: { app: 'nobody' } },
        }),
        workloads,
      );
      assert.deepEqual(service?.endpoints, []);
    });
  });

  describe('exportTo', () => {
    it('resolves "." to the namespace and keeps other namespaces', () => {
      const [service] = servicesFromServiceEntry(
        object('x', { hosts: ['x.example'], ports: PORTS, exportTo: ['.', 'istio-system'] }, 'shop'),
        [],
      );
      assert.deepEqual(service?.exportTo, ['istio-system', 'shop']);
    });

    it('reads "~" as visible to no namespace', () => {
      const [service] = servicesFromServiceEntry(
        object('x', { hosts: ['x.example'], ports: PORTS, exportTo: ['~'] }),
        [],
      );
      assert.deepEqual(service?.exportTo, []);
    });
  });
});
