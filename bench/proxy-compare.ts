// Proxy comparison: one node:http upstream (its own process) and, side by side in one run, the same load
// against it directly, through nginx (1 worker, upstream keep-alive), haproxy (nbthread 1) and the Heddle
// proxy (the real bin/heddle-proxy.ts, fed by bench/bench-control-plane.ts in its own process), in four
// scenarios:
//   plain  HTTP/1.1 plaintext (wrk) — also p50/p99 at a fixed rate (bench/fixed-rate-load.ts);
//   tls    HTTP/1.1 over TLS to the proxy (wrk https), plaintext to the upstream;
//   h2c    HTTP/2 with prior knowledge to the proxy (bench/h2-load.ts), HTTP/1.1 to the upstream;
//   mtls   sidecar to sidecar: plaintext into a client proxy, mTLS between two proxies, plaintext to the
//          upstream (wrk, and the fixed rate); CPU and RSS are the two proxies' sum.
// Per target: requests/s at saturation, CPU time per request of the proxy (utime+stime of its process
// trees from /proc), RSS idle and under load (VmRSS). Median of --runs runs; ratios Heddle ÷ nginx.
// With --before <path to a copy of packages/proxy/src/index.ts>, "heddle-before" runs that copy (through
// bench/heddle-proxy-runner.ts, in-process control plane) in the plain and h2c scenarios, for A/B numbers.
// The target "heddle-c2" is the same proxy with `--concurrency 2` (two worker processes on one listener).
// With --profile (default on) the Heddle proxy is run once more under `node --cpu-prof` at saturation
// (plain) and the top self-time functions are printed.
// Run: node bench/proxy-compare.ts [--duration 10s] [--quick] [--runs 3] [--rate 1000] [--no-profile]
//      [--scenarios plain,tls,h2c,mtls] [--targets direct,nginx,haproxy,heddle] [--base-port 18080]
//      [--before /path/src/index.ts] [--json out.json]
// Needs: wrk, nginx, haproxy (Debian: apt-get install -y nginx-light haproxy wrk), openssl; a missing proxy
// is skipped.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestPki } from '../packages/testkit/src/test-pki.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '32' },
    'base-port': { type: 'string', default: '18080' },
    'no-profile': { type: 'boolean', default: false },
    scenarios: { type: 'string', default: 'plain,tls,h2c,mtls' },
    targets: { type: 'string', default: 'direct,nginx,haproxy,heddle' },
    before: { type: 'string' },
    json: { type: 'string' },
  },
});

const parseDuration = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (!m) throw new Error(`bad duration ${text}`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
};
const DURATION_S = args.quick ? Math.min(5, parseDuration(args.duration)) : parseDuration(args.duration);
const RUNS = Number(args.runs ?? (args.quick ? 1 : 3));
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const BASE = Number(args['base-port']);
/** The proxy under test listens on `proxy`; the mTLS scenario's second proxy on `peer`. */
const PORTS = { upstream: BASE, proxy: BASE + 3, peer: BASE + 4, extra: BASE + 5 };
const NODE = process.execPath;
const HERE = import.meta.dirname;
const PROXY_BIN = join(HERE, '..', 'packages', 'proxy', 'bin', 'heddle-proxy.ts');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const WARMUP_S = 2;

type Scenario = 'plain' | 'tls' | 'h2c' | 'mtls';
type TargetName = 'direct' | 'nginx' | 'haproxy' | 'heddle' | 'heddle-c2' | 'heddle-before';
const SCENARIOS = args.scenarios.split(',') as Scenario[];
const TARGETS = args.targets.split(',') as TargetName[];
if (args.before) TARGETS.push('heddle-before');
/** Which targets can take part in a scenario. */
const supports = (scenario: Scenario, target: TargetName): boolean =>
  target === 'direct'
    ? scenario === 'plain' // the upstream speaks HTTP/1.1 only
    : target === 'heddle-before'
      ? scenario === 'plain' || scenario === 'h2c'
      : true;
// Every run is bounded: the whole benchmark stops (killing what it started) after this.
const DEADLINE_MS =
  (RUNS * SCENARIOS.length * TARGETS.length * (2 * DURATION_S + WARMUP_S + 20) + 3 * DURATION_S + 180) * 1000;

// ---- processes ------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

function cleanup(): void {
  for (const child of children) if (child.pid && child.exitCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}
setTimeout(() => {
  process.stderr.write(`proxy-compare: over the ${DEADLINE_MS / 1000} s bound, stopping\n`);
  process.exit(2);
}, DEADLINE_MS).unref();

const has = (command: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Spawns a long-running process that cleanup() will stop. */
function spawnTracked(command: string, argv: string[]): ChildProcess {
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  return child;
}

async function waitFor(ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Starts a long-running process; resolves once `ready()` says so (or a line "READY …" is printed). */
async function startProcess(
  command: string,
  argv: string[],
  ready: (() => Promise<boolean>) | 'stdout',
  timeoutMs = 20_000,
  onReadyLine?: (line: string) => void,
): Promise<ChildProcess> {
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  let printedReady = false;
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
    const line = /^READY.*$/m.exec(output)?.[0];
    if (line && !printedReady) {
      printedReady = true;
      onReadyLine?.(line);
    }
  });
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}): ${output}`);
    if (ready === 'stdout' ? printedReady : await ready()) return child;
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`${command} not ready within ${timeoutMs} ms: ${output}`);
    }
    await sleep(100);
  }
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether the proxy under test answers 200 on PORTS.proxy, in the scenario's protocol. */
const answers = (scenario: Scenario) => (): Promise<boolean> =>
  new Promise((resolve) => {
    const done = (ok: boolean): void => resolve(ok);
    if (scenario === 'h2c') {
      const session = http2Connect(`http://127.0.0.1:${PORTS.proxy}`);
      session.on('error', () => done(false));
      const stream = session.request({ ':path': '/ready' });
      stream.on('response', (headers) => {
        done(headers[':status'] === 200);
        session.destroy();
      });
      stream.on('error', () => done(false));
      stream.end();
      setTimeout(() => {
        session.destroy();
        done(false);
      }, 1000).unref();
      return;
    }
    const get = scenario === 'tls' ? httpsGet : httpGet;
    const req = get(
      {
        host: '127.0.0.1',
        port: PORTS.proxy,
        path: '/ready',
        rejectUnauthorized: false,
        agent: false,
        timeout: 1000,
      },
      (res) => {
        res.resume();
        done(res.statusCode === 200);
      },
    );
    req.on('error', () => done(false));
    req.on('timeout', () => req.destroy());
  });

/** Runs a command to completion with a hard time limit; resolves with its stdout. */
function run(command: string, argv: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${argv.join(' ')} failed (${code}): ${err || out}`));
    });
  });
}

// ---- /proc ----------------------------------------------------------------------------------------------

/** The pid and all its descendants (nginx's master and worker). */
function processTree(pid: number): number[] {
  const result = [pid];
  for (let i = 0; i < result.length; i++) {
    const p = result[i]!;
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        if (kids) result.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return result;
}

/** utime+stime of the process tree, in seconds. */
function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone
    }
  }
  return ticks / CLK_TCK;
}

/** VmRSS of the process tree, in MiB. */
function rssMiB(pid: number): number {
  let kib = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      kib += Number(m?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

// ---- certificates ---------------------------------------------------------------------------------------

const pki = createTestPki('bench');
tempDirs.push(pki.dir);
pki.ca('bench-ca');
const serverPair = pki.issue('server', 'bench-ca', 'DNS:server.bench.svc.cluster.local,DNS:localhost');
const clientPair = pki.issue('client', 'bench-ca', 'URI:spiffe://cluster.local/ns/bench/sa/client');
const files = {
  ca: join(pki.dir, 'bench-ca.crt'),
  serverCert: join(pki.dir, 'server.crt'),
  serverKey: join(pki.dir, 'server.key'),
  clientCert: join(pki.dir, 'client.crt'),
  clientKey: join(pki.dir, 'client.key'),
  serverPem: join(pki.dir, 'server.pem'),
  clientPem: join(pki.dir, 'client.pem'),
};
// haproxy wants certificate and key in one file.
writeFileSync(files.serverPem, `${serverPair.cert}${serverPair.key}`);
writeFileSync(files.clientPem, `${clientPair.cert}${clientPair.key}`);

// ---- targets --------------------------------------------------------------------------------------------

interface Target {
  readonly port: number;
  /** The measured processes (their trees): one proxy, or both sidecars. */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

function nginxServers(scenario: Scenario): string {
  const upstream = `proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";`;
  switch (scenario) {
    case 'plain':
      return `server { listen 127.0.0.1:${PORTS.proxy}; location / { ${upstream} } }`;
    case 'tls':
      return `server { listen 127.0.0.1:${PORTS.proxy} ssl; ssl_certificate ${files.serverCert};
        ssl_certificate_key ${files.serverKey}; location / { ${upstream} } }`;
    case 'h2c':
      return `server { listen 127.0.0.1:${PORTS.proxy} http2; location / { ${upstream} } }`;
    case 'mtls':
      // Two server blocks play the two sidecars (one worker serves both; CPU is their sum either way).
      return `upstream peer { server 127.0.0.1:${PORTS.peer}; keepalive 64; keepalive_requests 1000000; }
      server { listen 127.0.0.1:${PORTS.proxy}; location / {
        proxy_pass https://peer; proxy_http_version 1.1; proxy_set_header Connection "";
        proxy_ssl_certificate ${files.clientCert}; proxy_ssl_certificate_key ${files.clientKey};
        proxy_ssl_trusted_certificate ${files.ca}; proxy_ssl_verify on;
        proxy_ssl_name server.bench.svc.cluster.local; proxy_ssl_server_name on; proxy_ssl_session_reuse on; } }
      server { listen 127.0.0.1:${PORTS.peer} ssl; ssl_certificate ${files.serverCert};
        ssl_certificate_key ${files.serverKey}; ssl_client_certificate ${files.ca}; ssl_verify_client on;
        location / { ${upstream} } }`;
  }
}

async function startNginx(scenario: Scenario): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'heddle-bench-nginx-'));
  tempDirs.push(dir);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  http2_max_requests 1000000;
  upstream backend {
    server 127.0.0.1:${PORTS.upstream};
    keepalive 64;
    keepalive_requests 1000000;
  }
  ${nginxServers(scenario)}
}
`,
  );
  const child = await startProcess(
    'nginx',
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    answers(scenario),
  );
  return { port: PORTS.proxy, pids: [child.pid ?? 0], stop: () => stopProcess(child, 'SIGQUIT') };
}

function haproxyFrontends(scenario: Scenario): string {
  const backend = `backend upstream\n  server s1 127.0.0.1:${PORTS.upstream}\n`;
  switch (scenario) {
    case 'plain':
      return `frontend bench\n  bind 127.0.0.1:${PORTS.proxy}\n  default_backend upstream\n${backend}`;
    case 'tls':
      return `frontend bench\n  bind 127.0.0.1:${PORTS.proxy} ssl crt ${files.serverPem} alpn h2,http/1.1\n  default_backend upstream\n${backend}`;
    case 'h2c':
      return `frontend bench\n  bind 127.0.0.1:${PORTS.proxy} proto h2\n  default_backend upstream\n${backend}`;
    case 'mtls':
      return `frontend client
  bind 127.0.0.1:${PORTS.proxy}
  default_backend peer
backend peer
  server p1 127.0.0.1:${PORTS.peer} ssl crt ${files.clientPem} ca-file ${files.ca} verify required sni str(server.bench.svc.cluster.local) verifyhost server.bench.svc.cluster.local
frontend server
  bind 127.0.0.1:${PORTS.peer} ssl crt ${files.serverPem} ca-file ${files.ca} verify required
  default_backend upstream
${backend}`;
  }
}

async function startHaproxy(scenario: Scenario): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'heddle-bench-haproxy-'));
  tempDirs.push(dir);
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    `global
  nbthread 1
  maxconn 4000
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout http-keep-alive 120s
${haproxyFrontends(scenario)}`,
  );
  const child = await startProcess('haproxy', ['-f', config, '-db'], answers(scenario));
  return { port: PORTS.proxy, pids: [child.pid ?? 0], stop: () => stopProcess(child, 'SIGUSR1') };
}

/** The real proxy binary(ies), fed by bench-control-plane.ts in its own (unmeasured) process. */
async function startHeddle(
  scenario: Scenario,
  extraNodeArgs: string[] = [],
  extraProxyArgs: string[] = [],
): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'heddle-bench-proxy-'));
  tempDirs.push(dir);
  let bootstraps: Record<string, string> = {};
  const control = await startProcess(
    NODE,
    [
      join(HERE, 'bench-control-plane.ts'),
      '--scenario',
      scenario === 'h2c' ? 'plain' : scenario,
      '--port',
      String(PORTS.proxy),
      '--peer-port',
      String(PORTS.peer),
      '--upstream-port',
      String(PORTS.upstream),
      '--dir',
      dir,
      '--cert',
      scenario === 'mtls' ? files.clientCert : files.serverCert,
      '--key',
      scenario === 'mtls' ? files.clientKey : files.serverKey,
      '--peer-cert',
      files.serverCert,
      '--peer-key',
      files.serverKey,
      '--ca',
      files.ca,
    ],
    'stdout',
    20_000,
    (line) => (bootstraps = JSON.parse(line.replace(/^READY /, '')) as Record<string, string>),
  );
  const proxies: ChildProcess[] = [];
  try {
    for (const file of Object.values(bootstraps)) {
      proxies.push(
        spawnTracked(NODE, [
          ...extraNodeArgs,
          PROXY_BIN,
          '--bootstrap',
          file,
          '--log-level',
          'error',
          ...extraProxyArgs,
        ]),
      );
    }
    await waitFor(answers(scenario), 20_000);
  } catch (error) {
    for (const p of proxies) await stopProcess(p);
    await stopProcess(control);
    throw error;
  }
  return {
    port: PORTS.proxy,
    pids: proxies.map((p) => p.pid ?? 0),
    stop: async () => {
      for (const p of proxies) await stopProcess(p);
      await stopProcess(control);
    },
  };
}

/** A copy of the proxy's sources (--before), in-process with its control plane, for A/B comparisons. */
async function startHeddleBefore(): Promise<Target> {
  const child = await startProcess(
    NODE,
    [
      join(HERE, 'heddle-proxy-runner.ts'),
      '--port',
      String(PORTS.proxy),
      '--upstream-port',
      String(PORTS.upstream),
      '--proxy-module',
      args.before ?? '',
    ],
    'stdout',
  );
  return { port: PORTS.proxy, pids: [child.pid ?? 0], stop: () => stopProcess(child) };
}

async function startTarget(scenario: Scenario, name: TargetName): Promise<Target> {
  switch (name) {
    case 'direct':
      return { port: PORTS.upstream, pids: [], stop: async () => {} };
    case 'nginx':
      return startNginx(scenario);
    case 'haproxy':
      return startHaproxy(scenario);
    case 'heddle':
      return startHeddle(scenario);
    case 'heddle-c2':
      // Two worker processes sharing the listener (SO_REUSEPORT); CPU and RSS count the whole tree.
      return startHeddle(scenario, [], ['--concurrency', '2']);
    case 'heddle-before':
      return startHeddleBefore();
  }
}

// ---- measurements ---------------------------------------------------------------------------------------

interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly errors: number;
}

async function wrk(port: number, seconds: number, tls = false): Promise<LoadResult> {
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`;
  const out = await run(
    'wrk',
    ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', url],
    (seconds + 15) * 1000,
  );
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { requests, rps, errors };
}

/** HTTP/2 prior knowledge: 4 connections × 8 streams in flight (32 requests, as wrk's -c32). */
async function h2load(port: number, seconds: number): Promise<LoadResult> {
  const out = await run(
    NODE,
    [join(HERE, 'h2-load.ts'), '--port', String(port), '--duration', String(seconds)],
    (seconds + 15) * 1000,
  );
  const result = JSON.parse(out) as { requests: number; rps: number; errors: number; non2xx: number };
  return { requests: result.requests, rps: result.rps, errors: result.errors + result.non2xx };
}

const saturate = (scenario: Scenario, port: number, seconds: number): Promise<LoadResult> =>
  scenario === 'h2c' ? h2load(port, seconds) : wrk(port, seconds, scenario === 'tls');

interface FixedRateResult {
  readonly recorded: number;
  readonly completed: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly waited: number;
  readonly p50: number;
  readonly p99: number;
}

async function fixedRate(port: number, seconds: number): Promise<FixedRateResult> {
  const out = await run(
    NODE,
    [
      join(HERE, 'fixed-rate-load.ts'),
      '--port',
      String(port),
      '--rate',
      String(RATE),
      '--duration',
      String(seconds),
      '--warmup',
      '1',
      '--connections',
      String(CONNECTIONS),
    ],
    (seconds + 20) * 1000,
  );
  return JSON.parse(out) as FixedRateResult;
}

interface Sample {
  readonly scenario: Scenario;
  readonly target: TargetName;
  readonly run: number;
  readonly load1: number;
  readonly rps: number;
  readonly loadErrors: number;
  readonly p50?: number;
  readonly p99?: number;
  readonly fixedErrors?: number;
  /** µs of proxy CPU per request at saturation and at the fixed rate. */
  readonly cpuUsSat?: number;
  readonly cpuUsFixed?: number;
  readonly rssIdle?: number;
  readonly rssLoad?: number;
}

const sum = (pids: readonly number[], f: (pid: number) => number): number =>
  pids.reduce((total, pid) => total + f(pid), 0);

async function measure(scenario: Scenario, name: TargetName, runIndex: number): Promise<Sample> {
  const target = await startTarget(scenario, name);
  try {
    const pids = target.pids;
    const measured = pids.length > 0;
    await sleep(1000);
    const rssIdle = measured ? sum(pids, rssMiB) : undefined;
    await saturate(scenario, target.port, WARMUP_S); // JIT, connection pools
    let rssLoad = 0;
    const sampler = measured
      ? setInterval(() => (rssLoad = Math.max(rssLoad, sum(pids, rssMiB))), 250)
      : undefined;
    const cpu0 = sum(pids, cpuSeconds);
    const sat = await saturate(scenario, target.port, DURATION_S);
    const cpu1 = sum(pids, cpuSeconds);
    clearInterval(sampler);
    const withRate = scenario === 'plain' || scenario === 'mtls';
    const fixed = withRate ? await fixedRate(target.port, DURATION_S) : undefined;
    const cpu2 = sum(pids, cpuSeconds);
    return {
      scenario,
      target: name,
      run: runIndex,
      load1: loadavg()[0]!,
      rps: sat.rps,
      loadErrors: sat.errors,
      ...(fixed ? { p50: fixed.p50, p99: fixed.p99, fixedErrors: fixed.errors + fixed.non2xx } : {}),
      ...(measured
        ? {
            cpuUsSat: ((cpu1 - cpu0) / sat.requests) * 1e6,
            ...(fixed ? { cpuUsFixed: ((cpu2 - cpu1) / fixed.completed) * 1e6 } : {}),
            rssIdle,
            rssLoad,
          }
        : {}),
    };
  } finally {
    await target.stop();
  }
}

// ---- profile --------------------------------------------------------------------------------------------

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
}

/** Monotonic µs, the clock V8's profiler timestamps use (CLOCK_MONOTONIC on Linux). */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

async function profileHeddle(): Promise<{
  total: number;
  windowed: boolean;
  top: { name: string; ms: number; pct: number }[];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'heddle-bench-prof-'));
  tempDirs.push(dir);
  const target = await startHeddle('plain', ['--cpu-prof', '--cpu-prof-dir', dir]);
  // Only the samples taken during the measured wrk run count (not start-up, warm-up or shutdown).
  const window = [0, Infinity];
  try {
    await wrk(target.port, WARMUP_S);
    window[0] = monotonicUs();
    await wrk(target.port, DURATION_S);
    window[1] = monotonicUs();
  } finally {
    await target.stop();
  }
  // The control plane writes no profile (it runs without --cpu-prof); the proxy writes one on exit.
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  const inWindow = profile.samples.filter((_, i) => {
    at += profile.timeDeltas[i] ?? 0;
    return at >= window[0]! && at <= window[1]!;
  }).length;
  const useWindow = inWindow > 100; // the clocks agree (else: the whole run, start-up included)
  at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (!frame || (useWindow && (at < window[0]! || at > window[1]!))) return;
    const where = frame.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
    const key = frame.url
      ? `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`
      : frame.functionName;
    self.set(key, (self.get(key) ?? 0) + delta);
    if (frame.functionName !== '(idle)') total += delta;
  });
  const top = [...self]
    .filter(([name]) => name !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: (us / total) * 100 }));
  return { total: total / 1000, windowed: useWindow, top };
}

// ---- main -----------------------------------------------------------------------------------------------

const median = (values: (number | undefined)[]): number => {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
};

const version = (command: string, argv: string[]): string => {
  const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 5000 });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0]?.trim() || 'unknown';
};

if (!has('wrk')) {
  process.stderr.write('wrk is missing. Install: apt-get install -y nginx-light haproxy wrk\n');
  process.exit(1);
}
const targets = TARGETS.filter((t) => {
  if ((t === 'nginx' || t === 'haproxy') && !has(t)) {
    process.stderr.write(`${t} is missing, skipped. Install: apt-get install -y nginx-light haproxy wrk\n`);
    return false;
  }
  return true;
});
for (const port of Object.values(PORTS)) {
  if (!(await portFree(port))) throw new Error(`port ${port} is in use; pick another --base-port`);
}

const machine = {
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  kernel: release(),
  node: process.version,
  nginx: version('nginx', ['-v']),
  haproxy: version('haproxy', ['-v']),
  wrk: version('wrk', ['-v']),
};
const loadStart = loadavg();
process.stderr.write(
  `proxy-compare: ${RUNS} run(s), ${DURATION_S} s per measurement, scenarios ${SCENARIOS.join(',')}, ${CONNECTIONS} connections, fixed rate ${RATE} req/s; load ${loadStart.map((l) => l.toFixed(2)).join(' ')}\n`,
);

const upstream = await startProcess(
  NODE,
  [join(HERE, 'upstream-server.ts'), '--port', String(PORTS.upstream)],
  'stdout',
);
const samples: Sample[] = [];
try {
  for (let r = 1; r <= RUNS; r++) {
    for (const scenario of SCENARIOS) {
      const here = targets.filter((t) => supports(scenario, t));
      // Rotate the order so that no target always runs first (or last) in a round.
      const order = here.map((_, i) => here[(i + r - 1) % here.length]!);
      for (const name of order) {
        try {
          const s = await measure(scenario, name, r);
          samples.push(s);
          process.stderr.write(`run ${r} ${scenario} ${name}: ${JSON.stringify(s)}\n`);
        } catch (error) {
          process.stderr.write(
            `run ${r} ${scenario} ${name}: failed, skipped: ${(error as Error).message}\n`,
          );
        }
      }
    }
  }
} finally {
  await stopProcess(upstream);
}

let profile: Awaited<ReturnType<typeof profileHeddle>> | undefined;
if (!args['no-profile'] && targets.includes('heddle') && SCENARIOS.includes('plain')) {
  const up = await startProcess(
    NODE,
    [join(HERE, 'upstream-server.ts'), '--port', String(PORTS.upstream)],
    'stdout',
  );
  try {
    profile = await profileHeddle();
  } finally {
    await stopProcess(up);
  }
}
const loadEnd = loadavg();

// ---- report ---------------------------------------------------------------------------------------------

const f = (n: number | undefined, digits = 0): string =>
  n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '—';
const ratio = (a: number, b: number): string => f(a / b, 2);
const out = [
  `Machine: ${machine.cpu}, ${machine.memory}, Linux ${machine.kernel}, Node.js ${machine.node}; ${machine.nginx}; ${machine.haproxy}; ${machine.wrk}`,
  `Load average (1/5/15 min): start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, end ${loadEnd.map((l) => l.toFixed(2)).join(' ')}; per measurement (1 min): ${samples.map((s) => s.load1.toFixed(1)).join(', ')}`,
  `${RUNS} run(s) (median), ${DURATION_S} s per measurement, ${CONNECTIONS} connections (h2c: 4 × 8 streams), fixed rate ${RATE} req/s`,
];
const summaries: Record<string, unknown>[] = [];
for (const scenario of SCENARIOS) {
  const summary = targets
    .filter((t) => supports(scenario, t))
    .map((name) => {
      const mine = samples.filter((s) => s.scenario === scenario && s.target === name);
      return {
        scenario,
        target: name,
        rps: median(mine.map((s) => s.rps)),
        p50: median(mine.map((s) => s.p50)),
        p99: median(mine.map((s) => s.p99)),
        cpuUsSat: median(mine.map((s) => s.cpuUsSat)),
        cpuUsFixed: median(mine.map((s) => s.cpuUsFixed)),
        rssIdle: median(mine.map((s) => s.rssIdle)),
        rssLoad: median(mine.map((s) => s.rssLoad)),
        errors: mine.reduce((a, s) => a + s.loadErrors + (s.fixedErrors ?? 0), 0),
      };
    });
  summaries.push(...summary);
  const direct = summary.find((s) => s.target === 'direct');
  const nginx = summary.find((s) => s.target === 'nginx');
  const heddle = summary.find((s) => s.target === 'heddle');
  out.push(
    '',
    `### ${scenario}`,
    '',
    '| Target | req/s | p50 @ rate (ms) | added p50 (ms) | p99 @ rate (ms) | CPU/req sat. (µs) | CPU/req @ rate (µs) | RSS idle (MiB) | RSS load (MiB) | errors |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...summary.map(
      (s) =>
        `| ${s.target} | ${f(s.rps)} | ${f(s.p50, 3)} | ${direct && s.target !== 'direct' ? f(s.p50 - direct.p50, 3) : '—'} | ${f(s.p99, 2)} | ${f(s.cpuUsSat, 1)} | ${f(s.cpuUsFixed, 1)} | ${f(s.rssIdle, 1)} | ${f(s.rssLoad, 1)} | ${s.errors} |`,
    ),
  );
  if (heddle && nginx) {
    out.push(
      `| **Heddle ÷ nginx** | ${ratio(heddle.rps, nginx.rps)} | ${ratio(heddle.p50, nginx.p50)} | ${direct ? ratio(heddle.p50 - direct.p50, nginx.p50 - direct.p50) : '—'} | ${ratio(heddle.p99, nginx.p99)} | ${ratio(heddle.cpuUsSat, nginx.cpuUsSat)} | ${ratio(heddle.cpuUsFixed, nginx.cpuUsFixed)} | ${ratio(heddle.rssIdle, nginx.rssIdle)} | ${ratio(heddle.rssLoad, nginx.rssLoad)} | |`,
    );
  }
}
if (profile) {
  out.push(
    '',
    `Heddle CPU profile at saturation, plain (${f(profile.total)} ms sampled, idle excluded, ${profile.windowed ? 'measured wrk run only' : 'whole process life'}), top self time:`,
  );
  for (const p of profile.top)
    out.push(`  ${f(p.pct, 1).padStart(5)} %  ${f(p.ms).padStart(6)} ms  ${p.name}`);
}
process.stdout.write(`${out.join('\n')}\n`);
if (args.json) {
  writeFileSync(
    args.json,
    JSON.stringify({ machine, loadStart, loadEnd, samples, summary: summaries, profile }, null, 2),
  );
}
