// Measures how long validating 5,000 varied resources takes, in-process and through the CLI; prints one
// line per measurement for docs/PERFORMANCE.md. Run: node bench/validate-5000.ts [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateText } from '@heddle/api';
import { generateResources } from '../packages/cli/test/helpers/generate-resources.ts';

const COUNT = 5_000;
const runs = Number(process.argv[2] ?? 5);
const repoRoot = join(import.meta.dirname, '..');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function describeTimes(label: string, times: readonly number[]): string {
  const format = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return `${label}: median ${format(median(times))} (min ${format(Math.min(...times))}, max ${format(Math.max(...times))}, ${times.length} runs)`;
}

const text = generateResources(COUNT);
const megabytes = (Buffer.byteLength(text) / (1024 * 1024)).toFixed(1);

const inProcess: number[] = [];
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  const result = validateText([{ name: 'mesh.yaml', text }]);
  inProcess.push(performance.now() - start);
  if (result.resources.length !== COUNT || result.findings.length > 0) {
    throw new Error(
      `expected ${COUNT} clean resources, got ${result.resources.length} and ${result.findings.length} findings`,
    );
  }
}

function timeCli(args: readonly string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['packages/cli/bin/heddle.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const elapsed = performance.now() - start;
  if (child.status !== 0)
    throw new Error(`heddle ${args.join(' ')} exited ${child.status}: ${child.stdout}${child.stderr}`);
  return elapsed;
}

const startup: number[] = [];
for (let run = 0; run < runs; run++) startup.push(timeCli(['--version']));

const dir = mkdtempSync(join(tmpdir(), 'heddle-bench-'));
const viaCli: number[] = [];
try {
  const file = join(dir, 'mesh.yaml');
  writeFileSync(file, text);
  for (let run = 0; run < runs; run++) viaCli.push(timeCli(['validate', '-f', file]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const machine = `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}`;
// Other work on the machine skews every number; the load average says how much there was.
const load = loadavg()
  .map((value) => value.toFixed(1))
  .join(' ');
console.log(`validate ${COUNT} resources, one ${megabytes} MiB file, on ${machine}, load average ${load}`);
console.log(describeTimes('  in-process validateText', inProcess));
console.log(describeTimes('  CLI (heddle validate -f, process start included)', viaCli));
console.log(describeTimes('  CLI start-up alone (heddle --version)', startup));
