// README's first command, as a fresh clone runs it: `heddle demo --duration 20s --json` brings up the whole
// e-commerce mesh on this machine (control plane, ingress gateway, nine services and a mesh client, each
// beside its sidecar), drives traffic, and prints its summary. The summary must show what the config says:
// every proxy SYNCED, the 90/10 canary, the test user's 5 s delay, the order service's AuthorizationPolicy,
// STRICT mTLS, HTTPS with the demo certificate and the HTTP redirect; and nothing may be left running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoSummary } from '../packages/cli/src/demo/demo-summary.ts';

const REPO = join(import.meta.dirname, '..');
const HEDDLE = join(REPO, 'packages', 'cli', 'bin', 'heddle.ts');
/** Start-up on a busy machine, 20 s of traffic, the last 5 s-late answers, and the teardown. */
const RUN_TIMEOUT_MS = 420_000;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Processes whose command line, or environment, mentions `text`: what the demo started and left. */
async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const environment = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (commandLine.includes(text) || environment.includes(text))
      found.push(`${entry}: ${commandLine.replaceAll('\0', ' ').slice(0, 160)}`);
  }
  return found;
}

describe('heddle demo --duration 20s --json', { timeout: RUN_TIMEOUT_MS + 60_000 }, () => {
  let dataDir = '';
  let pid: number | undefined;
  let run: Run;
  let summary: DemoSummary;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'heddle-demo-e2e-'));
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(
      process.execPath,
      [HEDDLE, 'demo', '--duration', '20s', '--json', '--data-dir', dataDir],
      {
        cwd: REPO,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    pid = child.pid;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    run = await new Promise<Run>((resolve) =>
      child.on('close', (code, signal) =>
        resolve({
          code,
          signal,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        }),
      ),
    );
    clearTimeout(timer);
    pid = undefined;
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    try {
      summary = JSON.parse(line) as DemoSummary;
    } catch {
      assert.fail(
        `no JSON summary (exit ${run.code ?? run.signal}); stderr:\n${run.stderr}\nstdout:\n${run.stdout}`,
      );
    }
  });

  after(async () => {
    // Only if the demo outlived its bound: it stops its mesh on SIGTERM, and the mesh follows it on SIGKILL.
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('exits 0 with every check passed, and progress on stderr', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(summary.passed, true, JSON.stringify(summary.checks));
    // No service injects errors here: an error is the mesh failing (or the machine far too busy).
    assert.ok(summary.requests.errorRate < 0.05, JSON.stringify(summary.requests.byKind));
    assert.match(run.stderr, /control plane: ready/);
    assert.match(run.stderr, /proxies SYNCED: ready \(11\)/);
  });

  it('has every proxy SYNCED: the gateway and all ten workloads', () => {
    const names = summary.proxies.rows.map((row) => row.name).sort();
    assert.deepEqual(names, [
      'auth.ecommerce',
      'demo-client.ecommerce',
      'frontend.ecommerce',
      'inventory.ecommerce',
      'istio-ingressgateway.istio-system',
      'order.ecommerce',
      'payment.ecommerce',
      'price.ecommerce',
      'product-v1.ecommerce',
      'product-v2.ecommerce',
      'user.ecommerce',
    ]);
    for (const row of summary.proxies.rows) assert.equal(row.status, 'SYNCED', row.name);
  });

  it('splits product traffic 90/10, within what chance explains for the observed count', () => {
    const { v1, v2 } = summary.canary;
    const n = v1 + v2;
    assert.ok(n >= 50, `only ${n} storefront pages said which product version answered`);
    // v2's count is binomial(n, 0.1): 4.5 standard deviations leave about one run in 150 000 failing by chance.
    const sd = Math.sqrt(n * 0.1 * 0.9);
    assert.ok(
      Math.abs(v2 - n * 0.1) <= 4.5 * sd + 0.5,
      `v1 ${v1}, v2 ${v2}: ${((v2 / n) * 100).toFixed(1)}% on v2`,
    );
    assert.ok(v2 > 0, 'v2 served some pages');
  });

  it("delays the test user's pages by the injected 5 s, and only theirs", () => {
    const { testUser, latencyMs } = summary;
    assert.ok(testUser.requests >= 3, `test-user requests: ${testUser.requests}`);
    assert.equal(testUser.delayed, testUser.requests);
    assert.ok((testUser.minMs ?? 0) >= 4950, `fastest test-user page: ${testUser.minMs} ms`);
    assert.ok((latencyMs.p50 ?? Infinity) < (testUser.minMs ?? 0), 'ordinary pages are not delayed');
    assert.deepEqual(Object.keys(summary.requests.byKind['test-user']?.statuses ?? {}), ['200']);
  });

  it("denies the order service's unauthorized callers with 403, while its allowed callers get through", () => {
    assert.ok(summary.unauthorized.sent > 0);
    assert.equal(summary.unauthorized.denied, summary.unauthorized.sent);
    assert.deepEqual(summary.requests.byKind.unauthorized?.statuses, { '403': summary.unauthorized.sent });
    // The frontend (checkout) and the gateway (/api/orders) are named by the policy.
    assert.deepEqual(Object.keys(summary.requests.byKind.checkout?.statuses ?? {}), ['201']);
    assert.deepEqual(Object.keys(summary.requests.byKind['orders-api']?.statuses ?? {}), ['200']);
  });

  it('refuses plaintext on STRICT mTLS ports and forged tokens on the frontend', () => {
    assert.equal(summary.plaintext.attempts, 3);
    assert.equal(summary.plaintext.refused, 3);
    assert.ok(summary.jwt.forgedSent > 0);
    assert.equal(summary.jwt.forgedRejected, summary.jwt.forgedSent);
    assert.ok(summary.jwt.validAccepted > 0);
  });

  it('serves HTTPS with the demo certificate and redirects HTTP to HTTPS', async () => {
    const { https, httpRedirect } = summary;
    assert.equal(https.ok, true, JSON.stringify(https));
    const demoCertificate = new X509Certificate(
      await readFile(join(dataDir, 'demo', 'shop.example.com.crt')),
    );
    assert.equal(https.certificate?.fingerprint256, demoCertificate.fingerprint256);
    assert.equal(https.certificate?.subject, 'shop.example.com');
    assert.equal(https.certificate?.issuer, 'Heddle demo CA');
    assert.equal(httpRedirect.status, 301);
    assert.equal(httpRedirect.location, 'https://shop.example.com/api/products/1');
  });

  it('joins one storefront request into a single trace across every service on its path', () => {
    const services = [...summary.trace.services].sort();
    const product = services.find((name) => /^product-v[12]\.ecommerce$/.test(name));
    assert.ok(product, services.join(', '));
    assert.deepEqual(
      services,
      [
        'auth.ecommerce',
        'frontend.ecommerce',
        'inventory.ecommerce',
        'istio-ingressgateway.istio-system',
        'order.ecommerce',
        'price.ecommerce',
        product,
        'user.ecommerce',
      ].sort(),
    );
  });

  it('leaves nothing running: no process, no pid file, no state file', async () => {
    const left = [
      ...(await processesMentioning(dataDir)),
      ...(await processesMentioning(`HEDDLE_CONTROL_PLANE=${summary.where.controlPlane}\0`)),
    ];
    assert.deepEqual(left, []);
    await assert.rejects(access(join(dataDir, 'heddle.pid')));
    await assert.rejects(access(join(dataDir, 'state.json')));
  });
});
