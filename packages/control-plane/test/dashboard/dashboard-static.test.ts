// The control plane serves the built dashboard under /dashboard/: files with their types and cache rules,
// index.html for the app's routes, nothing outside its folder however the path is spelled, 503 when unbuilt.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane } from '../../src/index.ts';
import { startTestControlPlane } from '../support/test-control-plane.ts';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request with the path exactly as given: fetch() would normalize `..` and its encodings away. */
function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'outside-the-dashboard-folder';
const INDEX = '<!doctype html><title>Heddle</title><div id="app"></div>';
const ASSET = 'console.log("app");';

describe('dashboard static files', { timeout: 30_000 }, () => {
  let dir: string;
  let cp: ControlPlane;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-dashboard-'));
    const dist = join(dir, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), INDEX);
    await writeFile(join(dist, 'assets', 'index-Bx3kP9aZ.js'), ASSET);
    await writeFile(join(dist, 'assets', 'index-Q1w2E3r4.css'), 'body{}');
    await writeFile(join(dist, 'favicon.svg'), '<svg/>');
    await writeFile(join(dir, 'secret.txt'), SECRET);
    await symlink(join(dir, 'secret.txt'), join(dist, 'linked.txt'));
    cp = await startTestControlPlane({ dashboardDir: dist, scrapeIntervalSeconds: 0 });
  });
  after(async () => {
    await cp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at /dashboard/ with no-cache', async () => {
    const answer = await rawRequest(cp.httpPort, '/dashboard/');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, INDEX);
    assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(answer.headers['cache-control'], 'no-cache');
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  });

  it('serves hashed assets with their content type and a long cache', async () => {
    const js = await rawRequest(cp.httpPort, '/dashboard/assets/index-Bx3kP9aZ.js');
    assert.equal(js.status, 200);
    assert.equal(js.body, ASSET);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    const css = await rawRequest(cp.httpPort, '/dashboard/assets/index-Q1w2E3r4.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    const svg = await rawRequest(cp.httpPort, '/dashboard/favicon.svg');
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.equal(svg.headers['cache-control'], 'no-cache');
  });

  it("answers the app's own routes with index.html, and missing files with 404", async () => {
    for (const path of ['/dashboard/graph', '/dashboard/services/shop/product', '/dashboard/graph?ns=shop']) {
      const answer = await rawRequest(cp.httpPort, path);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.body, INDEX, path);
      assert.equal(answer.headers['cache-control'], 'no-cache');
    }
    const missing = await rawRequest(cp.httpPort, '/dashboard/assets/missing-12345678.js');
    assert.equal(missing.status, 404);
    assert.equal((JSON.parse(missing.body) as { code: string }).code, 'HEDDLE_HTTP_NOT_FOUND');
  });

  it('never serves a file outside its folder, however the path is written', async () => {
    const attempts = [
      '/dashboard/../secret.txt',
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/%2E%2E/secret.txt',
      '/dashboard/..%2fsecret.txt',
      '/dashboard/%2e%2e%2fsecret.txt',
      '/dashboard/assets/..%2f..%2fsecret.txt',
      '/dashboard/..%5csecret.txt',
      '/dashboard/%252e%252e/secret.txt',
      '/dashboard/assets/%2e%2e/%2e%2e/secret.txt',
      '/dashboard//..//secret.txt',
      '/dashboard/linked.txt',
      '/dashboard/%00secret.txt',
    ];
    for (const path of attempts) {
      const answer = await rawRequest(cp.httpPort, path);
      assert.ok(!answer.body.includes(SECRET), `${path} leaked the file`);
      assert.ok(answer.status === 404 || answer.status === 400, `${path}: ${answer.status}`);
    }
  });

  it('redirects / and /dashboard to /dashboard/', async () => {
    const root = await rawRequest(cp.httpPort, '/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/dashboard/');
    const bare = await rawRequest(cp.httpPort, '/dashboard');
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.location, '/dashboard/');
  });

  it('answers HEAD without a body, revalidates with the ETag, and refuses other methods', async () => {
    const head = await rawRequest(cp.httpPort, '/dashboard/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(INDEX)));
    const etag = head.headers.etag as string;
    const again = await rawRequest(cp.httpPort, '/dashboard/', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const post = await rawRequest(cp.httpPort, '/dashboard/', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal((JSON.parse(post.body) as { code: string }).code, 'HEDDLE_HTTP_METHOD_NOT_ALLOWED');
  });

  it('keeps the API routes as they were', async () => {
    const ready = await rawRequest(cp.httpPort, '/ready');
    assert.equal(ready.status, 200);
  });
});

describe('dashboard not built', { timeout: 20_000 }, () => {
  let dir: string;
  let cp: ControlPlane;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-dashboard-empty-'));
    cp = await startTestControlPlane({ dashboardDir: dir, scrapeIntervalSeconds: 0 });
  });
  after(async () => {
    await cp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 with how to build it', async () => {
    for (const path of ['/dashboard/', '/dashboard/graph', '/dashboard/assets/x-12345678.js']) {
      const answer = await rawRequest(cp.httpPort, path);
      assert.equal(answer.status, 503, path);
      assert.match(answer.body, /the dashboard is not built: run `npm run generate -w @heddle\/dashboard`/);
      assert.equal(answer.headers['content-type'], 'text/plain; charset=utf-8');
    }
  });
});

describe('control plane without a dashboard folder', { timeout: 20_000 }, () => {
  it('serves neither /dashboard/ nor the redirect', async () => {
    const cp = await startTestControlPlane({ scrapeIntervalSeconds: 0 });
    try {
      assert.equal((await rawRequest(cp.httpPort, '/dashboard/')).status, 404);
      assert.equal((await rawRequest(cp.httpPort, '/')).status, 404);
    } finally {
      await cp.close();
    }
  });
});
