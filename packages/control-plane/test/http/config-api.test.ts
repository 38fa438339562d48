// The config API the CLI uses: apply, refusal with 422, body limits, listing, reading and deleting resources.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane } from '../../src/index.ts';
import {
  apiUrl,
  applyYamlText,
  getJson,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';

const VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
`;

const INVALID = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: broken
  namespace: shop
spec:
  hosts: [broken]
  http:
  - route:
    - destination:
        host: broken
      weight: -5
`;

/** Sends a body with node:http, which reads the response even when the server stops reading the body. */
function postRaw(
  port: number,
  path: string,
  body: Buffer,
  chunked = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/yaml',
      ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': body.length }),
    };
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('config API', { timeout: 20_000 }, () => {
  let cp: ControlPlane;

  before(async () => {
    cp = await startTestControlPlane({ maxBodyBytes: 64 * 1024 });
  });
  after(async () => {
    await cp.close();
  });

  it('applies YAML, reporting what was applied, with the file name in findings, and what was unchanged', async () => {
    const first = await applyYamlText(cp, VIRTUAL_SERVICE, 'reviews.yaml');
    assert.equal(first.status, 200);
    const applied = first.body.applied as {
      key: { kind: string; namespace: string; name: string };
      file: string;
    }[];
    assert.deepEqual(
      applied.map((a) => [a.key, a.file]),
      [[{ kind: 'VirtualService', namespace: 'default', name: 'reviews' }, 'reviews.yaml']],
    );
    const second = await applyYamlText(cp, VIRTUAL_SERVICE, 'reviews.yaml');
    assert.equal((second.body.unchanged as unknown[]).length, 1);
    assert.equal((second.body.applied as unknown[]).length, 0);
  });

  it('refuses invalid input with 422 and HEDDLE_APPLY_REFUSED, leaving the store unchanged', async () => {
    const before = await cp.store.revision();
    const refused = await applyYamlText(
      cp,
      serviceEntryYaml('fine', 'shop') + '---\n' + INVALID,
      'mixed.yaml',
    );
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'HEDDLE_APPLY_REFUSED');
    const findings = refused.body.findings as { level: string; file: string }[];
    assert.ok(findings.some((f) => f.level === 'Error' && f.file === 'mixed.yaml'));
    assert.equal(await cp.store.revision(), before);
    assert.equal(await cp.store.get('ServiceEntry', 'shop', 'fine'), undefined);
  });

  it('refuses a body over the limit with 413 before reading it all', async () => {
    const big = Buffer.alloc(200 * 1024, 'a');
    const response = await postRaw(cp.httpPort, '/apis/v1/apply', big);
    assert.equal(response.status, 413);
    const body = JSON.parse(response.body) as { code: string; message: string };
    assert.equal(body.code, 'HEDDLE_HTTP_BODY_TOO_LARGE');
    assert.doesNotMatch(response.body, /at .*\.ts/);
  });

  it('refuses a chunked body once it grows over the limit', async () => {
    const response = await postRaw(cp.httpPort, '/apis/v1/apply', Buffer.alloc(100 * 1024, 'a'), true);
    assert.equal(response.status, 413);
    assert.equal((JSON.parse(response.body) as { code: string }).code, 'HEDDLE_HTTP_BODY_TOO_LARGE');
  });

  it('lists, reads and deletes resources by kind, namespace and name', async () => {
    await applyYamlText(cp, serviceEntryYaml('catalog', 'shop'));
    const list = await getJson<{ items: { metadata: { name: string } }[] }>(
      cp,
      '/apis/v1/resources?kind=ServiceEntry&namespace=shop',
    );
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((i) => i.metadata.name),
      ['catalog'],
    );
    const one = await getJson<{ kind: string; spec: { hosts: string[] } }>(
      cp,
      '/apis/v1/resources/ServiceEntry/shop/catalog',
    );
    assert.deepEqual(one.body.spec.hosts, ['catalog.shop.example.com']);

    const deleted = await fetch(apiUrl(cp, '/apis/v1/resources/ServiceEntry/shop/catalog'), {
      method: 'DELETE',
    });
    assert.equal(deleted.status, 200);
    const again = await fetch(apiUrl(cp, '/apis/v1/resources/ServiceEntry/shop/catalog'), {
      method: 'DELETE',
    });
    assert.equal(again.status, 404);
    assert.equal(((await again.json()) as { code: string }).code, 'HEDDLE_RESOURCE_NOT_FOUND');
    const missing = await getJson<{ code: string }>(cp, '/apis/v1/resources/ServiceEntry/shop/catalog');
    assert.equal(missing.status, 404);
  });

  it('deletes the resources a YAML body names', async () => {
    await applyYamlText(cp, serviceEntryYaml('temp', 'shop'));
    const response = await fetch(apiUrl(cp, '/apis/v1/delete'), {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: serviceEntryYaml('temp', 'shop'),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { deleted: { name: string }[] };
    assert.deepEqual(
      body.deleted.map((k) => k.name),
      ['temp'],
    );
  });

  it('registers and deregisters a workload', async () => {
    const registration = {
      name: 'cart-1',
      namespace: 'shop',
      address: '127.0.0.1',
      ports: { http: 18080 },
      labels: { app: 'cart' },
    };
    const created = await fetch(apiUrl(cp, '/apis/v1/workloads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registration),
    });
    assert.equal(created.status, 201);
    const handle = (await created.json()) as { id: number; name: string };
    assert.equal(handle.name, 'cart-1');
    assert.ok(cp.registry.workloads().some((w) => w.name === 'cart-1'));

    const removed = await fetch(apiUrl(cp, `/apis/v1/workloads/${handle.id}`), { method: 'DELETE' });
    assert.equal(removed.status, 200);
    assert.ok(!cp.registry.workloads().some((w) => w.name === 'cart-1'));
    const twice = await fetch(apiUrl(cp, `/apis/v1/workloads/${handle.id}`), { method: 'DELETE' });
    assert.equal(twice.status, 404);
  });

  it('refuses a malformed registration with a field-level message', async () => {
    const response = await fetch(apiUrl(cp, '/apis/v1/workloads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', namespace: 'shop', address: '10.0.0.1', ports: { http: 0 } }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { code: string; message: string };
    assert.equal(body.code, 'HEDDLE_WORKLOAD_INVALID');
    assert.match(body.message, /ports\.http/);
  });

  it('refuses changes from web pages: a text/plain body or an Origin header', async () => {
    const before = await cp.store.revision();
    const plain = await fetch(apiUrl(cp, '/apis/v1/apply'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: serviceEntryYaml('csrf', 'shop'),
    });
    assert.equal(plain.status, 415);
    assert.equal(((await plain.json()) as { code: string }).code, 'HEDDLE_HTTP_UNSUPPORTED_MEDIA_TYPE');
    const fromPage = await fetch(apiUrl(cp, '/apis/v1/apply'), {
      method: 'POST',
      headers: { 'content-type': 'application/yaml', origin: 'http://evil.example' },
      body: serviceEntryYaml('csrf', 'shop'),
    });
    assert.equal(fromPage.status, 403);
    assert.equal(((await fromPage.json()) as { code: string }).code, 'HEDDLE_HTTP_FORBIDDEN_ORIGIN');
    assert.equal(await cp.store.revision(), before);
  });

  it('answers unknown paths and methods with JSON errors', async () => {
    const missing = await fetch(apiUrl(cp, '/nope'));
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, 'HEDDLE_HTTP_NOT_FOUND');
    const wrong = await fetch(apiUrl(cp, '/apis/v1/apply'));
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    assert.equal(((await wrong.json()) as { code: string }).code, 'HEDDLE_HTTP_METHOD_NOT_ALLOWED');
  });
});
