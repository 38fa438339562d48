// The demo's verdict from its samples: each must-show behaviour is one check that fails when the mesh did
// not do what the config says (a test user served on time, an unauthorized call let through, …).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarize, type SummaryInput } from '../../src/demo/demo-summary.ts';
import type { ProxyRow } from '../../src/demo/proxy-sync.ts';
import { renderSummary } from '../../src/demo/render-summary.ts';
import type { Sample } from '../../src/demo/traffic/drive-traffic.ts';

function samples(): Sample[] {
  const list: Sample[] = [];
  for (let i = 0; i < 300; i++)
    list.push({
      kind: 'storefront',
      status: 200,
      ms: 40 + (i % 10),
      productVersion: i % 10 === 0 ? 'v2' : 'v1',
    });
  for (let i = 0; i < 10; i++) list.push({ kind: 'test-user', status: 200, ms: 5_020 + i });
  for (let i = 0; i < 10; i++) list.push({ kind: 'unauthorized', status: 403, ms: 5 });
  for (let i = 0; i < 10; i++) list.push({ kind: 'forged-token', status: 401, ms: 5 });
  for (let i = 0; i < 10; i++) list.push({ kind: 'checkout', status: 201, ms: 60 });
  return list;
}

const rows: ProxyRow[] = [
  { name: 'istio-ingressgateway.istio-system', status: 'SYNCED' },
  { name: 'frontend.ecommerce', status: 'SYNCED' },
];

function input(list: Sample[], overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    dataDir: '/tmp/demo',
    rps: 10,
    traffic: { samples: list, skipped: 0, traceId: 'a'.repeat(32), sendingMs: 30_000, elapsedMs: 35_000 },
    https: {
      ok: true,
      status: 200,
      certificate: {
        subject: 'shop.example.com',
        issuer: 'Heddle demo CA',
        subjectAltName: 'DNS:shop.example.com',
        validTo: 'Dec 22 00:00:00 2026 GMT',
        fingerprint256: 'AA',
      },
    },
    redirect: { ok: true, status: 301, location: 'https://shop.example.com/api/products/1' },
    plaintext: { attempts: 3, refused: 3, ports: [{ workload: 'order', port: 1, refused: true }] },
    proxies: rows,
    trace: {
      traceId: 'a'.repeat(32),
      spans: 12,
      services: ['frontend.ecommerce'],
      url: 'http://cp/api/v2/trace/a',
    },
    metricsUrls: {},
    where: {
      controlPlane: 'http://127.0.0.1:1',
      gatewayHttps: 'https://shop.example.com:8443',
      gatewayHttp: 'http://shop.example.com:8080',
      caCertificate: '/tmp/demo/demo/ca.crt',
      logs: '/tmp/demo/logs',
      traces: 'http://127.0.0.1:1/api/v2/traces',
      commands: ['heddle proxy-status'],
    },
    kept: false,
    ...overrides,
  };
}

describe('summarize', () => {
  it('passes when the samples show the canary, the delay, the denials and the edge checks', () => {
    const summary = summarize(input(samples()));
    assert.equal(summary.passed, true, JSON.stringify(summary.checks));
    assert.deepEqual({ v1: summary.canary.v1, v2: summary.canary.v2 }, { v1: 270, v2: 30 });
    assert.equal(summary.testUser.delayed, 10);
    assert.equal(summary.requests.errors, 0);
    assert.equal(summary.latencyMs.p50, 45);
    assert.equal(summary.durationSeconds, 30);
    assert.deepEqual(summary.requests.byKind.unauthorized, { sent: 10, statuses: { '403': 10 } });
  });

  it('fails the fault-injection check when a test-user page came back on time', () => {
    const list = samples();
    list.push({ kind: 'test-user', status: 200, ms: 120 });
    const summary = summarize(input(list));
    assert.equal(summary.checks.testUserDelayed, false);
    assert.equal(summary.passed, false);
  });

  it('fails the authorization check when one unauthorized call got through', () => {
    const list = samples();
    list.push({ kind: 'unauthorized', status: 200, ms: 5 });
    assert.equal(summarize(input(list)).checks.unauthorizedDenied, false);
  });

  it('fails the canary check on an even split, and the sync check on a STALE proxy', () => {
    const even = samples().map((s, index) =>
      s.kind === 'storefront' ? { ...s, productVersion: index % 2 === 0 ? 'v1' : 'v2' } : s,
    );
    assert.equal(summarize(input(even)).checks.canaryWithinTolerance, false);
    const stale = summarize(
      input(samples(), { proxies: [...rows, { name: 'order.ecommerce', status: 'STALE' }] }),
    );
    assert.equal(stale.checks.proxiesSynced, false);
    assert.match(renderSummary(stale), /✘ proxies\s+2\/3 SYNCED: order\.ecommerce STALE/);
  });

  it('counts 5xx answers and missing answers of ordinary requests as errors', () => {
    const list = samples();
    list.push({ kind: 'storefront', status: 503, ms: 10 }, { kind: 'checkout', status: 0, ms: 15_000 });
    const summary = summarize(input(list));
    assert.equal(summary.requests.errors, 2);
    assert.deepEqual(summary.requests.byKind.checkout?.statuses, { '201': 10, 'no answer': 1 });
  });
});
