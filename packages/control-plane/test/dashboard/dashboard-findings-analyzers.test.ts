// The dashboard's findings run the same cross-resource analyzers as `heddle analyze`, over the stored config
// and the registry, through the real control plane's HTTP API: a VirtualService routing to a subset no
// DestinationRule defines is IST0101; a policy whose selector selects no registered workload is IST0127,
// and stops being one when such a workload registers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DashboardFindings, DashboardOverview } from '@heddle/api';
import type { ControlPlane } from '../../src/index.ts';
import { apiUrl, applyYamlText, getJson, startTestControlPlane } from '../support/test-control-plane.ts';

const MESH = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: product, namespace: shop }
spec:
  hosts: [product.shop.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 8080, name: http, protocol: HTTP }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: product, namespace: shop }
spec:
  host: product
  subsets:
    - { name: v1, labels: { version: v1 } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: product, namespace: shop }
spec:
  hosts: [product]
  http:
    - route:
        - { destination: { host: product, subset: v1 }, weight: 90 }
        - { destination: { host: product, subset: v3 }, weight: 10 }
`;

const POLICIES = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: product-viewers, namespace: shop }
spec:
  selector: { matchLabels: { app: product } }
  action: ALLOW
  rules: [{ to: [{ operation: { methods: [GET] } }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ghost-viewers, namespace: shop }
spec:
  selector: { matchLabels: { app: ghost } }
  action: ALLOW
  rules: [{ to: [{ operation: { methods: [GET] } }] }]
`;

type Row = DashboardFindings['findings'][number];

async function findings(cp: ControlPlane): Promise<readonly Row[]> {
  const { status, body } = await getJson<DashboardFindings>(cp, '/apis/v1/dashboard/findings');
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(!Number.isNaN(Date.parse(body.generatedAt)));
  return body.findings;
}

function withCode(rows: readonly Row[], code: string): Row[] {
  return rows.filter((row) => row.code === code);
}

async function register(cp: ControlPlane, name: string, labels: Record<string, string>): Promise<number> {
  const response = await fetch(apiUrl(cp, '/apis/v1/workloads'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, namespace: 'shop', address: '127.0.0.1', ports: { http: 8080 }, labels }),
  });
  const body = (await response.json()) as { id: number };
  assert.equal(response.status, 201, JSON.stringify(body));
  return body.id;
}

describe('dashboard findings: the cross-resource analyzers', { timeout: 30_000 }, () => {
  let cp: ControlPlane;

  before(async () => {
    cp = await startTestControlPlane();
  });
  after(async () => {
    await cp.close();
  });

  it('reports a VirtualService routing to a subset no DestinationRule defines as IST0101', async () => {
    const applied = await applyYamlText(cp, MESH, 'mesh.yaml');
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const rows = await findings(cp);
    assert.deepEqual(withCode(rows, 'IST0101'), [
      {
        code: 'IST0101',
        level: 'Error',
        message: 'subset "v3" of "product" is not defined by any DestinationRule for that host',
        resource: 'VirtualService shop/product',
      },
    ]);
    const overview = await getJson<DashboardOverview>(cp, '/apis/v1/dashboard/overview');
    assert.ok(overview.body.findings.errors >= 1, JSON.stringify(overview.body.findings));
  });

  it('clears IST0101 once the subset is defined', async () => {
    const applied = await applyYamlText(
      cp,
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: product, namespace: shop }
spec:
  host: product
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v3, labels: { version: v3 } }
`,
    );
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual(withCode(await findings(cp), 'IST0101'), []);
  });

  it('reports IST0127 for a selector that selects no registered workload, until one registers', async () => {
    const applied = await applyYamlText(cp, POLICIES, 'policies.yaml');
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    // No workload at all yet: both selectors select nothing.
    assert.deepEqual(
      withCode(await findings(cp), 'IST0127').map((row) => row.resource),
      ['AuthorizationPolicy shop/ghost-viewers', 'AuthorizationPolicy shop/product-viewers'],
    );
    await register(cp, 'product-v1', { app: 'product', version: 'v1' });
    assert.deepEqual(withCode(await findings(cp), 'IST0127'), [
      {
        code: 'IST0127',
        level: 'Warning',
        message: 'the selector app=ghost selects no workload in namespace "shop"',
        resource: 'AuthorizationPolicy shop/ghost-viewers',
      },
    ]);
    // A registration changes the registry without a store write; the findings follow it both ways.
    const ghost = await register(cp, 'ghost-v1', { app: 'ghost' });
    assert.deepEqual(withCode(await findings(cp), 'IST0127'), []);
    const deleted = await fetch(apiUrl(cp, `/apis/v1/workloads/${ghost}`), { method: 'DELETE' });
    assert.equal(deleted.status, 200, await deleted.text());
    assert.deepEqual(
      withCode(await findings(cp), 'IST0127').map((row) => row.resource),
      ['AuthorizationPolicy shop/ghost-viewers'],
    );
    const overview = await getJson<DashboardOverview>(cp, '/apis/v1/dashboard/overview');
    assert.ok(overview.body.findings.warnings >= 1, JSON.stringify(overview.body.findings));
  });
});
