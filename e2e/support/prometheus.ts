// A real Prometheus for the e2e tests, from Debian's `prometheus` package without installing it: the .deb
// is fetched once with `apt-get download` into node_modules/.cache/heddle-debian/, unpacked with
// `dpkg-deb -x`, and its binary runs as a child process on 127.0.0.1 with a generated config (no system
// service, no root). `promtool` comes from the same package.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { freePort, removeDir, tempDataDir } from './mesh.ts';

const run = promisify(execFile);

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'heddle-debian', 'prometheus');
const ROOT = join(CACHE_DIR, 'root');

export interface PrometheusBinaries {
  readonly prometheus: string;
  readonly promtool: string;
}

/**
 * Prometheus and promtool, downloaded and unpacked on first use. Throws with what failed and how to fix it
 * when the package cannot be fetched: the tests that need it fail rather than skip.
 */
export async function ensurePrometheus(): Promise<PrometheusBinaries> {
  const binaries = {
    prometheus: join(ROOT, 'usr', 'bin', 'prometheus'),
    promtool: join(ROOT, 'usr', 'bin', 'promtool'),
  };
  if (existsSync(binaries.prometheus) && existsSync(binaries.promtool)) return binaries;
  await mkdir(CACHE_DIR, { recursive: true });
  let deb = (await readdir(CACHE_DIR)).find((name) => /^prometheus_.*\.deb$/.test(name));
  if (deb === undefined) {
    try {
      await run('apt-get', ['download', 'prometheus'], { cwd: CACHE_DIR, timeout: 300_000 });
    } catch (error) {
      throw new Error(
        `The Prometheus e2e test needs Debian's prometheus package: \`apt-get download prometheus\` in ${CACHE_DIR} failed ` +
          `(${(error as Error).message.trim()}). Make a Debian mirror reachable, or put prometheus_*.deb in that directory.`,
        { cause: error },
      );
    }
    deb = (await readdir(CACHE_DIR)).find((name) => /^prometheus_.*\.deb$/.test(name));
    if (deb === undefined) throw new Error(`apt-get download prometheus left no .deb in ${CACHE_DIR}`);
  }
  await rm(ROOT, { recursive: true, force: true });
  await run('dpkg-deb', ['-x', join(CACHE_DIR, deb), ROOT], { timeout: 120_000 });
  if (!existsSync(binaries.prometheus) || !existsSync(binaries.promtool))
    throw new Error(`${deb} holds no usr/bin/prometheus and usr/bin/promtool`);
  return binaries;
}

export interface ScrapeJob {
  readonly job: string;
  readonly metricsPath: string;
  /** `host:port` of each target. */
  readonly targets: readonly string[];
}

export interface PrometheusOptions {
  readonly jobs: readonly ScrapeJob[];
  /** Rule files (YAML text) loaded by the server, evaluated every scrape interval. */
  readonly rules?: string;
  readonly scrapeIntervalSeconds?: number;
}

export interface VectorSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface RunningPrometheus {
  readonly url: string;
  /** An instant query through the HTTP API; NaN values come back as NaN. */
  query(expr: string): Promise<VectorSample[]>;
  /** `/api/v1/alerts`: the alerts the rule manager holds, with their state. */
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  /** Polls `check` every 250 ms until it holds or `timeoutMs` passes; returns whether it held. */
  until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean>;
  /** The last lines Prometheus logged, for failure messages. */
  logTail(): string;
  close(): Promise<void>;
}

export async function startPrometheus(
  binaries: PrometheusBinaries,
  options: PrometheusOptions,
): Promise<RunningPrometheus> {
  const dir = await tempDataDir('prometheus');
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    ...(options.rules !== undefined ? { rule_files: [join(dir, 'rules.yaml')] } : {}),
    scrape_configs: options.jobs.map((job) => ({
      job_name: job.job,
      metrics_path: job.metricsPath,
      static_configs: [{ targets: job.targets }],
    })),
  };
  if (options.rules !== undefined) await writeFile(join(dir, 'rules.yaml'), options.rules);
  await writeFile(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const child: ChildProcess = spawn(
    binaries.prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.console.libraries=${join(ROOT, 'usr', 'share', 'prometheus', 'console_libraries')}`,
      `--web.console.templates=${join(ROOT, 'usr', 'share', 'prometheus', 'consoles')}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  const keep = (chunk: Buffer): void => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (log.length > 50) log.splice(0, log.length - 50);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000, false)]);
      if (!stopped) child.kill('SIGKILL');
      await exited;
    }
    await removeDir(dir);
  };
  const until = async (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return true;
      if (Date.now() >= deadline || child.exitCode !== null) return false;
      await sleep(250);
    }
  };
  const ready = await until(async () => (await fetch(`${url}/-/ready`)).status === 200, 30_000);
  if (!ready) {
    await close();
    throw new Error(`Prometheus did not become ready on ${url}:\n${log.join('\n')}`);
  }
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error ?? response.status}`);
      return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async alerts() {
      const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as {
        data: { alerts: { labels: Record<string, string>; state: string }[] };
      };
      return body.data.alerts;
    },
    until,
    logTail: () => log.join('\n'),
    close,
  };
}

/** `promtool check rules` on the given rule file text; resolves with its output, rejects when it fails. */
export async function promtoolCheckRules(binaries: PrometheusBinaries, rules: string): Promise<string> {
  const dir = await tempDataDir('promtool');
  try {
    const file = join(dir, 'rules.yaml');
    await writeFile(file, rules);
    const { stdout, stderr } = await run(binaries.promtool, ['check', 'rules', file], { timeout: 60_000 });
    return `${stdout}${stderr}`;
  } finally {
    await removeDir(dir);
  }
}
