// Where an idle proxy's memory goes. Starts the real bin/heddle-proxy.ts from a bootstrap, fed by
// bench/bench-control-plane.ts in its own (unmeasured) process with the `plain` scenario (one listener, HCM
// with inline routes, router filter, one STATIC cluster), sends one request through it, waits --settle ms,
// and then asks a small probe loaded into the proxy with `--import` (it answers SIGUSR2) for
// `process.memoryUsage()`, V8's heap spaces and code statistics, and /proc/self/status (RSS, anonymous vs
// file-backed). Each variant (a name and extra Node flags, or another proxy entry point) runs --runs times,
// interleaved with the others, after one unmeasured warm-up run that fills Node's compile cache; medians.
// Options:
//   --variant name=flags   extra Node flags (and NAME=value environment variables) for one variant
//                          (repeatable), e.g. semi4=--max-semi-space-size=4; "default" is always measured
//   --stripped             also run a copy of the proxy and @heddle/xds with the types stripped ahead of time
//                          (module.stripTypeScriptTypes into .js files in a temporary directory)
//   --modules              count the modules the proxy loads and their source size, by package
//   --deps                 load each heavy dependency alone in a bare process and report what it adds
//   --snapshot             write one heap snapshot of an idle proxy and summarize it by constructor
//                          (--snapshot-file <path> keeps it, for a closer look in Chrome's DevTools)
// Run: node bench/proxy-idle-memory.ts [--runs 5] [--settle 3000] [--variant semi4=--max-semi-space-size=4]
//      [--stripped] [--modules] [--deps] [--snapshot]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest, createServer as createHttpServer } from 'node:http';
import { stripTypeScriptTypes } from 'node:module';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    settle: { type: 'string', default: '3000' },
    variant: { type: 'string', multiple: true, default: [] },
    stripped: { type: 'boolean', default: false },
    modules: { type: 'boolean', default: false },
    deps: { type: 'boolean', default: false },
    snapshot: { type: 'boolean', default: false },
    'snapshot-file': { type: 'string' },
  },
});

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..');
const NODE = process.execPath;
const PROXY_BIN = join(ROOT, 'packages', 'proxy', 'bin', 'heddle-proxy.ts');
const RUNS = Number(args.runs);
const SETTLE_MS = Number(args.settle);
const MiB = 2 ** 20;
const work = mkdtempSync(join(tmpdir(), 'heddle-idle-memory-'));
const children = new Set<ChildProcess>();

/** Loaded into the proxy with --import: answers SIGUSR2 with its memory figures (and a heap snapshot). */
const PROBE = `
import v8 from 'node:v8';
import { readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
const modules = { count: 0, bytes: 0, byPackage: {} };
if (process.env.IDLE_MEMORY_MODULES) {
  registerHooks({
    load(url, context, next) {
      const result = next(url, context);
      const size = result.source ? result.source.length : 0;
      const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(url) ?? /packages\\/([^/]+)\\/(?:src\\/(gen)\\/)?/.exec(url);
      const key = !m ? (url.startsWith('node:') ? 'node:*' : url) : m[0].includes('node_modules') ? m[1] : '@heddle/' + m[1] + (m[2] ? ' (generated)' : '');
      const entry = (modules.byPackage[key] ??= { count: 0, bytes: 0 });
      modules.count++; modules.bytes += size; entry.count++; entry.bytes += size;
      return result;
    },
  });
}
process.on('SIGUSR2', () => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (key) => Number(new RegExp('^' + key + ':\\\\s+(\\\\d+)', 'm').exec(status)?.[1] ?? 0) * 1024;
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = { size: s.space_size, used: s.space_used_size };
  writeFileSync(process.env.IDLE_MEMORY_OUT, JSON.stringify({
    usage: process.memoryUsage(),
    rss: { total: kib('VmRSS'), anon: kib('RssAnon'), file: kib('RssFile'), peak: kib('VmHWM') },
    spaces, code: v8.getHeapCodeStatistics(), modules,
  }));
  if (process.env.IDLE_MEMORY_SNAPSHOT) v8.writeHeapSnapshot(process.env.IDLE_MEMORY_SNAPSHOT);
});
`;
const PROBE_FILE = join(work, 'probe.mjs');
writeFileSync(PROBE_FILE, PROBE);

interface ProbeReport {
  /** From spawning the proxy to its first 200 through the listener. */
  startMs: number;
  usage: NodeJS.MemoryUsage;
  rss: { total: number; anon: number; file: number; peak: number };
  spaces: Record<string, { size: number; used: number }>;
  code: {
    code_and_metadata_size: number;
    bytecode_and_metadata_size: number;
    external_script_source_size: number;
  };
  modules: { count: number; bytes: number; byPackage: Record<string, { count: number; bytes: number }> };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function get(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
    req.end();
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  children.delete(child);
}

// The upstream answers in this process; the control plane and the proxy are children.
const upstream = createHttpServer((req, res) => {
  req.resume();
  res.end('ok\n');
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = (upstream.address() as { port: number }).port;

interface Variant {
  name: string;
  nodeArgs: string[];
  bin: string;
  env?: Record<string, string>;
}

/** One idle proxy: start, one request, settle, probe, stop. */
async function measure(variant: Variant, extraEnv: Record<string, string> = {}): Promise<ProbeReport> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'run-'));
  const control = spawn(
    NODE,
    [
      join(HERE, 'bench-control-plane.ts'),
      '--scenario',
      'plain',
      '--port',
      String(port),
      '--upstream-port',
      String(upstreamPort),
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.add(control);
  let proxy: ChildProcess | undefined;
  try {
    const bootstraps = await new Promise<Record<string, string>>((resolve, reject) => {
      let output = '';
      control.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = /^READY (.*)$/m.exec(output)?.[1];
        if (line) resolve(JSON.parse(line) as Record<string, string>);
      });
      control.once('exit', (code) => reject(new Error(`control plane exited (${code})`)));
    });
    const out = join(dir, 'probe.json');
    proxy = spawn(
      NODE,
      [
        ...variant.nodeArgs,
        '--import',
        PROBE_FILE,
        variant.bin,
        '--bootstrap',
        Object.values(bootstraps)[0] ?? '',
        '--log-level',
        'error',
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, ...variant.env, ...extraEnv, IDLE_MEMORY_OUT: out },
      },
    );
    children.add(proxy);
    const started = performance.now();
    const deadline = Date.now() + 30_000;
    while ((await get(port)) !== 200) {
      if (proxy.exitCode !== null) throw new Error(`proxy exited (${proxy.exitCode})`);
      if (Date.now() > deadline) throw new Error('proxy not answering within 30 s');
      await sleep(25);
    }
    const startMs = performance.now() - started;
    await sleep(SETTLE_MS);
    proxy.kill('SIGUSR2');
    const wait = Date.now() + 60_000;
    while (!existsSync(out) || (extraEnv['IDLE_MEMORY_SNAPSHOT'] && !snapshotDone(extraEnv))) {
      if (Date.now() > wait) throw new Error('no answer from the probe');
      await sleep(100);
    }
    await sleep(100);
    return { ...(JSON.parse(readFileSync(out, 'utf8')) as ProbeReport), startMs };
  } finally {
    if (proxy) await stop(proxy);
    await stop(control);
  }
}

function snapshotDone(env: Record<string, string>): boolean {
  const file = env['IDLE_MEMORY_SNAPSHOT'] ?? '';
  if (!existsSync(file)) return false;
  const size = statSync(file).size;
  // writeHeapSnapshot writes synchronously; a file whose size holds still for a moment is complete.
  return size > 0 && size === snapshotSizes.get(file) ? true : (snapshotSizes.set(file, size), false);
}
const snapshotSizes = new Map<string, number>();

/** A copy of the proxy and @heddle/xds whose .ts files are stripped into .js, imports rewritten. */
function buildStrippedCopy(): string {
  const target = join(work, 'stripped');
  const rewrite = (source: string): string =>
    source.replace(/(['"])((?:\.{1,2}\/|@heddle\/xds\/)[^'"\n]*?)\.ts\1/g, '$1$2.js$1');
  const copyTree = (from: string, to: string): void => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const source = join(from, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'test' || entry.name === 'node_modules') continue;
        copyTree(source, join(to, entry.name));
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        mkdirSync(to, { recursive: true });
        const js = stripTypeScriptTypes(readFileSync(source, 'utf8'), { mode: 'strip' });
        writeFileSync(join(to, entry.name.replace(/\.ts$/, '.js')), rewrite(js));
      } else if (entry.name === 'package.json') {
        mkdirSync(to, { recursive: true });
        writeFileSync(join(to, entry.name), readFileSync(source, 'utf8').replace(/\.ts"/g, '.js"'));
      }
    }
  };
  for (const pkg of ['proxy', 'xds']) copyTree(join(ROOT, 'packages', pkg), join(target, 'packages', pkg));
  // node_modules: every dependency from the repository, but @heddle/xds from the stripped copy.
  const modules = join(target, 'node_modules');
  mkdirSync(join(modules, '@heddle'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === '@heddle' || entry === '.bin') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  symlinkSync(join(target, 'packages', 'xds'), join(modules, '@heddle', 'xds'));
  cpSync(join(ROOT, 'package.json'), join(target, 'package.json'));
  return join(target, 'packages', 'proxy', 'bin', 'heddle-proxy.js');
}

/** Self sizes in a heap snapshot, by node type and constructor name. */
function summarizeSnapshot(file: string): void {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: {
      meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
    };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  // Each string's first retainer tells module source text (a Script's `source`) from Node's own sources
  // (external strings in the binary, not in the V8 heap's pages) and the rest.
  const edgeFields = snapshot.snapshot.meta.edge_fields;
  const edgeStride = edgeFields.length;
  const edgeTypeAt = edgeFields.indexOf('type');
  const edgeNameAt = edgeFields.indexOf('name_or_index');
  const edgeToAt = edgeFields.indexOf('to_node');
  const edgeTypes = snapshot.snapshot.meta.edge_types[0];
  const countAt = fields.indexOf('edge_count');
  const retainedAs = new Map<number, string>();
  for (let i = 0, edge = 0; i < snapshot.nodes.length; i += stride) {
    const from = types[snapshot.nodes[i + typeAt] ?? 0] ?? '?';
    const fromName = snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '';
    for (let k = 0; k < (snapshot.nodes[i + countAt] ?? 0); k++, edge += edgeStride) {
      const to = snapshot.edges[edge + edgeToAt] ?? 0;
      if (retainedAs.has(to)) continue;
      const kind = edgeTypes[snapshot.edges[edge + edgeTypeAt] ?? 0];
      const label =
        kind === 'element' || kind === 'hidden'
          ? ''
          : (snapshot.strings[snapshot.edges[edge + edgeNameAt] ?? 0] ?? '');
      retainedAs.set(
        to,
        from === 'code' && label === 'source'
          ? 'module source text'
          : fromName === '(External strings)'
            ? "Node's built-in sources (external)"
            : 'other strings',
      );
    }
  }
  const strings = new Map<string, number>();
  const byType = new Map<string, number>();
  const byName = new Map<string, { size: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    const type = types[snapshot.nodes[i + typeAt] ?? 0] ?? '?';
    const size = snapshot.nodes[i + sizeAt] ?? 0;
    let name = snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '?';
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') {
      name = '(string)';
      const kind = retainedAs.get(i) ?? 'other strings';
      strings.set(kind, (strings.get(kind) ?? 0) + size);
    } else if (type === 'code') name = `(code) ${name.replace(/ .*/, '')}`;
    else if (type === 'closure') name = '(closure)';
    else if (type === 'array') name = `(array) ${name}`;
    else if (type === 'hidden') name = `(hidden) ${name}`;
    else if (type === 'object shape') name = `(shape) ${name}`;
    total += size;
    byType.set(type, (byType.get(type) ?? 0) + size);
    const entry = byName.get(name) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count++;
    byName.set(name, entry);
  }
  console.log(`\nHeap snapshot ${file}: ${mib(total)} MiB in ${snapshot.nodes.length / stride} objects`);
  console.log('By type (MiB):');
  for (const [type, size] of [...byType].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`  ${type.padEnd(22)} ${mib(size).padStart(7)}`);
  console.log('Strings (MiB):');
  for (const [kind, size] of [...strings].sort((a, b) => b[1] - a[1]))
    console.log(`  ${kind.padEnd(36)} ${mib(size).padStart(7)}`);
  console.log('By constructor (self size, top 30):');
  for (const [name, { size, count }] of [...byName].sort((a, b) => b[1].size - a[1].size).slice(0, 30))
    console.log(
      `  ${name.slice(0, 48).padEnd(50)} ${mib(size).padStart(7)} MiB ${String(count).padStart(8)} objects`,
    );
}

/** Each heavy dependency alone in a bare process: RSS and heap it adds over an empty one. */
function measureDependencies(): void {
  const subjects: [string, string][] = [
    ['(bare node)', ''],
    ['@bufbuild/protobuf', "import '@bufbuild/protobuf'; import '@bufbuild/protobuf/wkt';"],
    ['@grpc/grpc-js', "import '@grpc/grpc-js';"],
    ['undici', "import 'undici';"],
    ['jose', "import 'jose';"],
    ['@peculiar/x509 + reflect-metadata', "import 'reflect-metadata'; import '@peculiar/x509';"],
    ['@marcbachmann/cel-js', "import '@marcbachmann/cel-js';"],
    ['yaml', "import 'yaml';"],
    ['@heddle/xds (all generated descriptors)', "import '@heddle/xds';"],
    [
      'proxy src/proxy.ts (everything startProxy loads)',
      `import ${JSON.stringify(pathToFileURL(join(ROOT, 'packages', 'proxy', 'src', 'proxy.ts')).href)};`,
    ],
  ];
  const script = (body: string): string =>
    `${body} setTimeout(() => { const u = process.memoryUsage(); console.log(JSON.stringify({ rss: u.rss, heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external })); }, 1000);`;
  const rows: { name: string; rss: number; heapUsed: number; heapTotal: number; external: number }[] = [];
  for (const [name, body] of subjects) {
    const samples: Record<string, number[]> = { rss: [], heapUsed: [], heapTotal: [], external: [] };
    for (let run = 0; run < Math.max(3, RUNS); run++) {
      // An ES module evaluated from the repository root resolves the packages as the proxy does.
      const result = spawnSync(NODE, ['--input-type=module', '-e', script(body)], {
        encoding: 'utf8',
        cwd: ROOT,
      });
      const parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
      for (const key of Object.keys(samples)) samples[key]?.push(parsed[key] ?? 0);
    }
    rows.push({
      name,
      rss: median(samples['rss'] ?? []),
      heapUsed: median(samples['heapUsed'] ?? []),
      heapTotal: median(samples['heapTotal'] ?? []),
      external: median(samples['external'] ?? []),
    });
  }
  const base = rows[0] ?? { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 };
  console.log('\nEach dependency alone (median; MiB added over a bare `node` process)');
  console.log('  module                                              RSS  heap used  heap total  external');
  for (const row of rows) {
    const delta = row === base;
    const fmt = (v: number, b: number): string => (delta ? mib(v) : `+${mib(v - b)}`);
    console.log(
      `  ${row.name.padEnd(48)} ${fmt(row.rss, base.rss).padStart(7)} ${fmt(row.heapUsed, base.heapUsed).padStart(10)} ${fmt(row.heapTotal, base.heapTotal).padStart(11)} ${fmt(row.external, base.external).padStart(9)}`,
    );
  }
}

const cleanup = async (): Promise<void> => {
  for (const child of [...children]) await stop(child);
  upstream.close();
  rmSync(work, { recursive: true, force: true });
};
setTimeout(() => {
  process.stderr.write('proxy-idle-memory: over the 20-minute bound, stopping\n');
  void cleanup().then(() => process.exit(2));
}, 20 * 60_000).unref();

try {
  const variants: Variant[] = [{ name: 'default', nodeArgs: [], bin: PROXY_BIN }];
  for (const spec of args.variant) {
    const at = spec.indexOf('=');
    const name = at < 0 ? spec : spec.slice(0, at);
    const tokens =
      at < 0
        ? []
        : spec
            .slice(at + 1)
            .split(/\s+/)
            .filter(Boolean);
    // NAME=value tokens are environment variables, the rest Node flags.
    const env = Object.fromEntries(
      tokens
        .filter((t) => /^[A-Z_]+=/.test(t))
        .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]),
    );
    variants.push({ name, nodeArgs: tokens.filter((t) => !/^[A-Z_]+=/.test(t)), bin: PROXY_BIN, env });
  }
  if (args.stripped) {
    const bin = buildStrippedCopy();
    console.log(`stripped copy: ${relative(work, dirname(bin))} in ${work}`);
    variants.push({ name: 'stripped .js', nodeArgs: [], bin });
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${RUNS} runs per variant`,
  );
  // Warm-up: fills the compile cache that heddle-proxy enables, as a restarted sidecar finds it.
  for (const variant of variants) await measure(variant);
  const reports = new Map<string, ProbeReport[]>(variants.map((v) => [v.name, []]));
  for (let run = 0; run < RUNS; run++)
    for (const variant of variants) reports.get(variant.name)?.push(await measure(variant));

  const rowsOf: [string, (r: ProbeReport) => number][] = [
    ['RSS (VmRSS)', (r) => r.rss.total],
    ['  anonymous', (r) => r.rss.anon],
    ['  file-backed (node binary, libraries)', (r) => r.rss.file],
    ['RSS peak (VmHWM)', (r) => r.rss.peak],
    ['V8 heap total', (r) => r.usage.heapTotal],
    ['V8 heap used', (r) => r.usage.heapUsed],
    ['  new space (size)', (r) => r.spaces['new_space']?.size ?? 0],
    ['  new space (used)', (r) => r.spaces['new_space']?.used ?? 0],
    ['  old space (used)', (r) => r.spaces['old_space']?.used ?? 0],
    ['  code space (used)', (r) => r.spaces['code_space']?.used ?? 0],
    ['  large object space (used)', (r) => r.spaces['large_object_space']?.used ?? 0],
    ['  trusted space (used)', (r) => r.spaces['trusted_space']?.used ?? 0],
    ['bytecode and metadata', (r) => r.code.bytecode_and_metadata_size],
    ['machine code and metadata', (r) => r.code.code_and_metadata_size],
    ['external (Buffers, WebAssembly)', (r) => r.usage.external],
    ['  array buffers', (r) => r.usage.arrayBuffers],
    ['RSS − heap total − external', (r) => r.rss.total - r.usage.heapTotal - r.usage.external],
  ];
  console.log(`\nIdle proxy, median of ${RUNS} (MiB)`);
  const WIDTH = Math.max(14, ...variants.map((v) => v.name.length + 2));
  console.log(`  ${''.padEnd(40)} ${variants.map((v) => v.name.padStart(WIDTH)).join('')}`);
  for (const [label, read] of rowsOf) {
    const cells = variants.map((v) => mib(median((reports.get(v.name) ?? []).map(read))).padStart(WIDTH));
    console.log(`  ${label.padEnd(40)} ${cells.join('')}`);
  }
  console.log(
    `  ${'start → first 200 (ms)'.padEnd(40)} ${variants
      .map((v) =>
        median((reports.get(v.name) ?? []).map((r) => r.startMs))
          .toFixed(0)
          .padStart(WIDTH),
      )
      .join('')}`,
  );
  console.log(
    `  ${'RSS min–max'.padEnd(40)} ${variants
      .map((v) => {
        const all = (reports.get(v.name) ?? []).map((r) => r.rss.total);
        return `${mib(Math.min(...all))}–${mib(Math.max(...all))}`.padStart(WIDTH);
      })
      .join('')}`,
  );

  if (args.modules) {
    const report = await measure(variants[0] as Variant, { IDLE_MEMORY_MODULES: '1' });
    console.log(
      `\nModules loaded by the proxy: ${report.modules.count}, ${mib(report.modules.bytes)} MiB of source`,
    );
    for (const [name, { count, bytes }] of Object.entries(report.modules.byPackage).sort(
      (a, b) => b[1].bytes - a[1].bytes,
    ))
      console.log(`  ${name.padEnd(44)} ${String(count).padStart(5)} modules ${mib(bytes).padStart(7)} MiB`);
  }
  if (args.snapshot) {
    const file = join(work, 'idle.heapsnapshot');
    await measure(variants[0] as Variant, { IDLE_MEMORY_SNAPSHOT: file });
    summarizeSnapshot(file);
    if (args['snapshot-file']) cpSync(file, args['snapshot-file']);
  }
  if (args.deps) measureDependencies();
} finally {
  await cleanup();
}
