// crossReferenceFindings: the analyzers across resources that `heddle analyze` and the dashboard share —
// missing hosts, subsets and gateways (IST0101), several mesh VirtualServices for one host (IST0109), and
// selectors that select no workload (IST0127, only when the workloads are known).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '@heddle/api';
import {
  crossReferenceFindings,
  fromStoredResource,
  type AnalysisContext,
  type AnalysisResource,
  type AnalysisWorkload,
} from '../../src/index.ts';

function stored(kind: string, name: string, spec: Record<string, unknown>, namespace = 'shop') {
  return fromStoredResource({
    apiVersion: kind === 'AuthorizationPolicy' ? 'security.istio.io/v1' : 'networking.istio.io/v1',
    kind,
    metadata: { name, namespace },
    spec,
  });
}

const productEntry = stored('ServiceEntry', 'product', { hosts: ['product.shop.svc.cluster.local'] });
const productRule = stored('DestinationRule', 'product', {
  host: 'product',
  subsets: [{ name: 'v1', labels: { version: 'v1' } }],
});

function analyze(resources: AnalysisResource[], extra: Partial<AnalysisContext> = {}): Finding[] {
  return crossReferenceFindings({ resources, registryHosts: [], ...extra });
}

function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.level} ${f.resource?.kind} ${f.resource?.name}: ${f.message}`);
}

describe('crossReferenceFindings', () => {
  it('reports a subset no DestinationRule defines for the routed host (IST0101)', () => {
    const vs = stored('VirtualService', 'product', {
      hosts: ['product'],
      http: [
        {
          route: [
            { destination: { host: 'product', subset: 'v1' } },
            { destination: { host: 'product', subset: 'v3' } },
          ],
        },
      ],
    });
    assert.deepEqual(summary(analyze([productEntry, productRule, vs])), [
      'IST0101 Error VirtualService product: subset "v3" of "product" is not defined by any DestinationRule for that host',
    ]);
  });

  it('reports an unknown host once, however many routes name it, unless the registry knows it', () => {
    const vs = stored('VirtualService', 'ratings', {
      hosts: ['ratings'],
      http: [{ route: [{ destination: { host: 'ratings' } }], mirror: { host: 'ratings' } }],
      tcp: [{ route: [{ destination: { host: 'ratings' } }] }],
    });
    assert.deepEqual(summary(analyze([vs])), [
      'IST0101 Error VirtualService ratings: host "ratings" is not a service the mesh knows (no Service or ServiceEntry has it)',
    ]);
    assert.deepEqual(analyze([vs], { registryHosts: ['ratings.shop.svc.cluster.local'] }), []);
    assert.deepEqual(analyze([vs], { registryHosts: ['*.shop.svc.cluster.local'] }), []);
  });

  it('knows the hosts of Service manifests and ServiceEntries among the resources', () => {
    const service = stored('Service', 'reviews', {}, 'shop');
    const vs = stored('VirtualService', 'reviews', {
      hosts: ['reviews'],
      http: [{ route: [{ destination: { host: 'reviews' } }, { destination: { host: 'product' } }] }],
    });
    assert.deepEqual(analyze([service, productEntry, vs]), []);
  });

  it('reports a gateway that does not exist, in the rule namespace or the one named', () => {
    const gateway = stored('Gateway', 'public', { servers: [] }, 'edge');
    const vs = stored('VirtualService', 'front', {
      hosts: ['shop.example.com'],
      gateways: ['mesh', 'edge/public', 'public'],
      http: [{ route: [{ destination: { host: 'product' } }] }],
    });
    assert.deepEqual(summary(analyze([gateway, productEntry, vs])), [
      'IST0101 Error VirtualService front: gateway "public" does not exist',
    ]);
  });

  it('reports every mesh VirtualService that claims the same host (IST0109), not gateway-only ones', () => {
    const route = [{ route: [{ destination: { host: 'product' } }] }];
    const first = stored('VirtualService', 'product-a', { hosts: ['product'], http: route });
    const second = stored('VirtualService', 'product-b', {
      hosts: ['product.shop.svc.cluster.local'],
      gateways: ['mesh'],
      http: route,
    });
    const edgeOnly = stored('VirtualService', 'product-edge', {
      hosts: ['product'],
      gateways: ['shop/public'],
      http: route,
    });
    const gateway = stored('Gateway', 'public', { servers: [] });
    const findings = analyze([productEntry, first, second, edgeOnly, gateway]);
    assert.deepEqual(
      findings.map((f) => [f.code, f.resource?.name]),
      [
        ['IST0109', 'product-a'],
        ['IST0109', 'product-b'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /shop\/product-a,shop\/product-b.*product\.shop\.svc\.cluster\.local/,
    );
  });

  it('reports selectors that select no workload (IST0127) only when the workloads are known', () => {
    const ghost = stored('AuthorizationPolicy', 'ghost', { selector: { matchLabels: { app: 'ghost' } } });
    const product = stored('AuthorizationPolicy', 'product', {
      selector: { matchLabels: { app: 'product' } },
    });
    const sidecar = stored('Sidecar', 'ghost-sidecar', { workloadSelector: { labels: { app: 'ghost' } } });
    const everyone = stored('PeerAuthentication', 'default', { mtls: { mode: 'STRICT' } });
    const resources = [ghost, product, sidecar, everyone];
    assert.deepEqual(analyze(resources), []);
    const workloads: AnalysisWorkload[] = [
      { namespace: 'shop', labels: { app: 'product', version: 'v1' } },
      { namespace: 'other', labels: { app: 'ghost' } },
    ];
    assert.deepEqual(summary(analyze(resources, { workloads })), [
      'IST0127 Warning AuthorizationPolicy ghost: the selector app=ghost selects no workload in namespace "shop"',
      'IST0127 Warning Sidecar ghost-sidecar: the selector app=ghost selects no workload in namespace "shop"',
    ]);
  });

  it('carries the file and line of resources read from files', () => {
    const vs: AnalysisResource = {
      ...stored('VirtualService', 'product', {
        hosts: ['product'],
        http: [{ route: [{ destination: { host: 'product', subset: 'v9' } }] }],
      }),
      file: 'routes.yaml',
      line: 7,
    };
    const [finding] = analyze([productEntry, productRule, vs]);
    assert.equal(finding?.file, 'routes.yaml');
    assert.equal(finding?.line, 7);
    assert.equal(
      analyze([productEntry, productRule, stored('VirtualService', 'x', vs.spec)])[0]?.file,
      undefined,
    );
  });
});
