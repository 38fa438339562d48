// Linux network namespaces for the transparent-capture e2e test: two namespaces joined by a veth pair, commands
// and long-running processes inside them (every one bounded in time, ended by PID), iptables installed on demand,
// and a guard that traffic to a namespace address is direct (no gateway), so nothing leaves the test's namespaces.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

// Istio-shaped capture rules: the one builder, the one `heddle run --capture transparent` installs.
export {
  captureRules,
  HEALTH_PORT,
  PROXY_UID,
} from '../../packages/cli/src/run/transparent/capture-rules.ts';

const execFileAsync = promisify(execFile);

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to completion within `timeoutMs`; a non-zero exit fails with its stderr. The environment has
 * no proxy variables unless `env` is given.
 */
export async function run(
  command: string,
  args: readonly string[],
  timeoutMs = 15_000,
  env: NodeJS.ProcessEnv = withoutProxyVariables(),
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, [...args], {
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 4 * 1024 * 1024,
      env,
    });
    return { stdout, stderr };
  } catch (error) {
    const failed = error as Error & { stderr?: string };
    throw new Error(`${command} ${args.join(' ')}: ${failed.stderr?.trim() || failed.message}`, {
      cause: error,
    });
  }
}

/** The environment minus HTTP_PROXY and friends: captured traffic must not be sent to a proxy by choice. */
export function withoutProxyVariables(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(https?|all|no)_proxy$/i.test(name)) env[name] = value;
  return env;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function hasCommand(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`], 5_000);
    return true;
  } catch {
    return false;
  }
}

/**
 * iptables as Istio's init container uses it; installed from the Debian archive when missing (with the
 * machine's own proxy settings, and after refreshing the package lists if the first attempt finds none).
 */
export async function ensureIptables(): Promise<void> {
  if ((await hasCommand('iptables-restore')) && (await hasCommand('ip6tables-restore'))) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): Promise<CommandResult> =>
    run('apt-get', ['install', '-y', '--no-install-recommends', 'iptables'], 120_000, env);
  await install().catch(async () => {
    await run('apt-get', ['update'], 120_000, env);
    await install();
  });
  for (const command of ['iptables-restore', 'ip6tables-restore'])
    assert.ok(await hasCommand(command), `iptables was installed but ${command} is not on PATH`);
}

export class NetworkNamespace {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  exec(command: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult> {
    return run('ip', ['netns', 'exec', this.name, command, ...args], timeoutMs);
  }

  /** Runs `command` with `input` on its stdin (iptables-restore). */
  async execWithInput(command: string, args: readonly string[], input: string): Promise<void> {
    const child = spawn('ip', ['netns', 'exec', this.name, command, ...args], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdin.end(input);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    assert.equal(code, 0, `${command} in ${this.name}: ${Buffer.concat(stderr).toString()}`);
  }

  /**
   * Fails unless `address` is reached without a gateway (`ip route get` shows no `via`): the test then only
   * talks to addresses of its own namespaces.
   */
  async assertDirectRoute(address: string): Promise<void> {
    const { stdout } = await this.exec('ip', ['route', 'get', address]);
    assert.doesNotMatch(
      stdout,
      /\svia\s/,
      `route from ${this.name} to ${address} goes through a gateway: ${stdout}`,
    );
  }

  /** A long-running process inside the namespace, optionally as another user (`setpriv`). */
  start(what: string, argv: readonly string[], options: StartOptions = {}): NamespaceProcess {
    const prefix =
      options.uid === undefined
        ? []
        : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups'];
    // `ip netns exec` and `setpriv` exec the command, so the child's PID is the command's own.
    const child = spawn('ip', ['netns', 'exec', this.name, ...prefix, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...withoutProxyVariables(), ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    return new NamespaceProcess(what, child);
  }

  async delete(): Promise<void> {
    await run('ip', ['netns', 'delete', this.name]).catch(() => undefined);
  }
}

export interface StartOptions {
  readonly uid?: number;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

export class NamespaceProcess {
  readonly what: string;
  readonly #child: ChildProcess;
  #output = '';
  readonly #exited: Promise<number | null>;

  constructor(what: string, child: ChildProcess) {
    this.what = what;
    this.#child = child;
    const collect = (chunk: Buffer): void => {
      // Bounded: only the tail matters for a failure message.
      this.#output = (this.#output + chunk.toString()).slice(-16_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get output(): string {
    return this.#output;
  }

  /** Waits until the output matches `pattern`; fails with the output if the process exits or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.#exited.then(() => (exited = true));
    while (!pattern.test(this.#output)) {
      if (exited) assert.fail(`${this.what} exited before ${pattern}:\n${this.#output}`);
      if (Date.now() > deadline)
        assert.fail(`${this.what}: no ${pattern} within ${timeoutMs} ms:\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGTERM by PID, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
        process.kill(child.pid, 'SIGKILL');
    }, graceMs);
    await this.#exited;
    clearTimeout(timer);
  }
}

export interface NamespacePair {
  /** The workload's namespace: its app, its sidecar, the iptables capture. */
  readonly workload: NetworkNamespace;
  /** Another host on the same link: mesh peers and callers. */
  readonly peer: NetworkNamespace;
  readonly workloadAddress: string;
  readonly peerAddress: string;
  /** The link's device in each namespace (for routes to service VIPs). */
  readonly workloadDevice: string;
  readonly peerDevice: string;
  delete(): Promise<void>;
}

/**
 * Two fresh namespaces (`<prefix>-w`, `<prefix>-p`) with loopback up, joined by a veth pair on `subnet`.0/24
 * (`.2` the workload, `.1` the peer). Nothing is attached to the host's own namespace.
 */
export async function createNamespacePair(prefix: string, subnet: string): Promise<NamespacePair> {
  const workload = new NetworkNamespace(`${prefix}-w`);
  const peer = new NetworkNamespace(`${prefix}-p`);
  // Interface names are at most 15 bytes.
  const tag = prefix.replace(/[^a-z0-9]/gi, '').slice(-11);
  const workloadDevice = `${tag}w`;
  const peerDevice = `${tag}p`;
  const pair: NamespacePair = {
    workload,
    peer,
    workloadAddress: `${subnet}.2`,
    peerAddress: `${subnet}.1`,
    workloadDevice,
    peerDevice,
    delete: async () => {
      // Deleting a namespace destroys the veth end inside it, and with it the pair.
      await workload.delete();
      await peer.delete();
    },
  };
  try {
    await run('ip', ['netns', 'add', workload.name]);
    await run('ip', ['netns', 'add', peer.name]);
    await run('ip', [
      'link',
      'add',
      workloadDevice,
      'netns',
      workload.name,
      'type',
      'veth',
      'peer',
      'name',
      peerDevice,
      'netns',
      peer.name,
    ]);
    for (const [ns, device, address] of [
      [workload, workloadDevice, pair.workloadAddress],
      [peer, peerDevice, pair.peerAddress],
    ] as const) {
      await ns.exec('ip', ['link', 'set', 'lo', 'up']);
      await ns.exec('ip', ['addr', 'add', `${address}/24`, 'dev', device]);
      await ns.exec('ip', ['link', 'set', device, 'up']);
    }
  } catch (error) {
    await pair.delete();
    throw error;
  }
  return pair;
}
