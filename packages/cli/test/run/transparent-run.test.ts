// `heddle run --capture transparent` against a real control plane (Linux, root): the app runs in its own
// namespace as the invoking user, with the namespace's address registered and the control plane reachable
// through the host's relay; when the app crashes — leaving a daemonized child behind — `heddle run` exits with
// its code and removes the registration, the processes, the namespace, the veth pair and the bridge.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestControlPlane, type TestControlPlane } from '../helpers/control-plane.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { pidsWith } from './run-helpers.ts';

const execFileAsync = promisify(execFile);
const NODE = process.execPath;

const skip =
  process.platform !== 'linux'
    ? 'transparent capture needs Linux network namespaces'
    : process.getuid?.() !== 0
      ? 'transparent capture needs root (ip netns, iptables); run this test as root'
      : false;

/** Prints who and where it is, and what the control plane (through HEDDLE_CONTROL_PLANE) says of it. */
const INSPECT_APP = `
import { networkInterfaces } from 'node:os';
const response = await fetch(process.env.HEDDLE_CONTROL_PLANE + '/apis/v1/workloads');
const workloads = await response.json();
console.log(JSON.stringify({
  uid: process.getuid(),
  gid: process.getgid(),
  env: process.env,
  addresses: (networkInterfaces().eth0 ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address),
  workloads,
}));
`;

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('ip', args, { timeout: 10_000 });
  return stdout;
}

function target(cp: TestControlPlane, dataDir: string): string[] {
  return [
    '--capture',
    'transparent',
    '--control-plane',
    cp.url,
    '--xds-address',
    `127.0.0.1:${cp.plane.xdsPort}`,
    '--data-dir',
    dataDir,
  ];
}

async function registered(cp: TestControlPlane): Promise<unknown[]> {
  const all = (await (await fetch(`${cp.url}/apis/v1/workloads`)).json()) as { origin: string }[];
  return all.filter((workload) => workload.origin === 'registered');
}

async function bridgeExists(): Promise<boolean> {
  return ip('link', 'show', 'heddle0').then(
    () => true,
    () => false,
  );
}

describe('heddle run --capture transparent', { skip, timeout: 240_000 }, () => {
  it('runs the app in its namespace as the sudo caller, registered with the namespace address', async (t) => {
    const cp = await startTestControlPlane(t);
    const dataDir = await tempDir(t);
    const dir = await mkdtemp(join(tmpdir(), 'heddle-inspect-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await chmod(dir, 0o755);
    await writeFile(join(dir, 'inspect.mjs'), INSPECT_APP, { mode: 0o644 });
    const result = await runCli(
      [
        'run',
        ...target(cp, dataDir),
        '--name',
        'inspect',
        '-n',
        'shop',
        '--labels',
        'app=inspect',
        '--port',
        'http=0',
        '--',
        NODE,
        join(dir, 'inspect.mjs'),
      ],
      {
        timeoutMs: 90_000,
        cwd: dir,
        // A proxy setting the app must not inherit (heddle run's own calls do not use it).
        env: { SUDO_UID: '65534', SUDO_GID: '65534', HTTP_PROXY: 'http://127.0.0.1:9' },
      },
    );
    assert.equal(result.code, 0, `stderr:\n${result.stderr}`);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
      uid: number;
      gid: number;
      env: Record<string, string>;
      addresses: string[];
      workloads: { name: string; address: string; ports: Record<string, number> }[];
    };
    assert.equal(seen.uid, 65534);
    assert.equal(seen.gid, 65534);
    assert.equal(seen.env.HTTP_PROXY, undefined);
    assert.equal(seen.env.PORT, '8080');
    assert.equal(seen.env.HEDDLE_CAPTURE, 'transparent');
    const [address] = seen.addresses;
    assert.ok(address, 'the app has an address on eth0 in its namespace');
    assert.match(result.stderr, new RegExp(`address ${address.replaceAll('.', '\\.')}, port 8080`));
    // The control plane's API, through the relay on the host's bridge address.
    assert.match(seen.env.HEDDLE_CONTROL_PLANE ?? '', /^http:\/\/\d+\.\d+\.\d+\.1:\d+$/);
    const self = seen.workloads.find((workload) => workload.name === 'inspect');
    assert.equal(self?.address, address);
    assert.deepEqual(self?.ports, { http: 8080 });
    assert.deepEqual(await registered(cp), []);
  });

  it('exits with a crashed app’s code and leaves nothing behind, not even its daemonized child', async (t) => {
    const cp = await startTestControlPlane(t);
    const dataDir = await tempDir(t);
    const bridgeBefore = await bridgeExists();
    // A marker no other process carries, to find the orphan by.
    const marker = `${200 + (process.pid % 97)}.${Date.now() % 1000}`;
    const orphanFile = join(dataDir, 'orphan.pid');
    const result = await runCli(
      [
        'run',
        ...target(cp, dataDir),
        '--name',
        'crasher',
        '--',
        'sh',
        '-c',
        `setsid sleep ${marker} </dev/null >/dev/null 2>&1 & echo $! > ${orphanFile}; sleep 0.2; kill -SEGV $$`,
      ],
      { timeoutMs: 90_000 },
    );
    assert.equal(result.code, 128 + 11, `stderr:\n${result.stderr}`);
    const namespace = /network namespace (\S+)/.exec(result.stderr)?.[1];
    assert.ok(namespace, result.stderr);
    assert.doesNotMatch(await ip('netns', 'list'), new RegExp(`^${namespace}\\b`, 'm'));
    assert.doesNotMatch(await ip('-o', 'link', 'show'), new RegExp(`\\shdl${'\\d+'}[@:].*master heddle0`));
    const orphan = Number((await readFile(orphanFile, 'utf8')).trim());
    assert.ok(orphan > 0, 'the app started its daemonized child');
    const orphanCommand = await readFile(`/proc/${orphan}/cmdline`, 'utf8').catch(() => '');
    assert.equal(orphanCommand.includes(marker), false, 'the orphan in the namespace was ended');
    assert.deepEqual(await pidsWith(`sleep\0${marker}`), []);
    assert.deepEqual(await registered(cp), []);
    if (!bridgeBefore) assert.equal(await bridgeExists(), false);
  });
});
