// The network of one transparent workload: a namespace of its own (`heddle-<name>-<pid>`) with loopback up,
// joined by a veth pair to `heddle0`, a bridge on the host shared by every transparent workload of the
// machine. The bridge holds the host's address (.1 of a /24 that overlaps no existing route); each namespace
// gets the next free address, with its default route via the host's. Workloads reach each other on the
// bridge (one link, no gateway, so the host forwards nothing), and reach the host's relays to the control
// plane at the bridge address. No forwarding or NAT is enabled: nothing here leads off the machine.
// The last workload to stop removes the bridge.
import { CliError } from '../../cli-error.ts';
import { EXIT_CODES } from '../../exit-codes.ts';
import { bridgeSubnet, chooseBridgeSubnet, type BridgeSubnet } from './bridge-subnet.ts';
import { withHostLock } from './host-lock.ts';
import { ip, systemCommand } from './system-command.ts';

export const BRIDGE = 'heddle0';
/** The namespace's end of the veth pair, once moved in. */
export const WORKLOAD_DEVICE = 'eth0';
const NAMESPACE_PATTERN = /^heddle-.+-(\d+)$/;

export interface WorkloadNetwork {
  /** The network namespace's name (`ip netns`). */
  readonly namespace: string;
  /** The workload's address: what it is registered with and what other workloads connect to. */
  readonly address: string;
  /** The host's address on the bridge: where the namespace reaches the host's relays. */
  readonly hostAddress: string;
  /** The host's end of the veth pair. */
  readonly hostDevice: string;
  /** `argv` as run inside the namespace. */
  inside(argv: readonly string[]): string[];
  /** Installs `iptables-restore --noflush` input in the namespace. */
  installRules(rules: string): Promise<void>;
  /** Kills what still runs in the namespace, deletes it and its veth pair, and the bridge if it is the last. */
  close(): Promise<void>;
}

export interface WorkloadNetworkInput {
  readonly name: string;
  /** Makes the names unique on the machine: `heddle run`'s pid. */
  readonly pid: number;
}

export function namespaceName(input: WorkloadNetworkInput): string {
  return `heddle-${input.name.slice(0, 200)}-${input.pid}`;
}

export async function createWorkloadNetwork(input: WorkloadNetworkInput): Promise<WorkloadNetwork> {
  const namespace = namespaceName(input);
  const hostDevice = `hdl${input.pid}`;
  const movedDevice = `hdl${input.pid}n`;
  let created = false;
  const close = async (): Promise<void> => {
    if (!created) return;
    created = false;
    await teardown(namespace, hostDevice);
  };
  try {
    const { subnet, address } = await withHostLock(async () => {
      const subnet = await ensureBridge();
      await sweepStaleNamespaces(subnet);
      const address = await freeAddress(subnet);
      created = true;
      await ip('netns', 'add', namespace);
      await ip('link', 'add', hostDevice, 'type', 'veth', 'peer', 'name', movedDevice, 'netns', namespace);
      await ip('link', 'set', hostDevice, 'master', BRIDGE, 'up');
      await ip('-n', namespace, 'link', 'set', movedDevice, 'name', WORKLOAD_DEVICE);
      await ip('-n', namespace, 'addr', 'add', `${address}/${subnet.prefixLength}`, 'dev', WORKLOAD_DEVICE);
      await ip('-n', namespace, 'link', 'set', WORKLOAD_DEVICE, 'up');
      await ip('-n', namespace, 'link', 'set', 'lo', 'up');
      await ip('-n', namespace, 'route', 'add', 'default', 'via', subnet.hostAddress);
      return { subnet, address };
    });
    // The host must reach the workload on the bridge itself, not through some other route.
    const route = await ip('route', 'get', address);
    if (/\svia\s/.test(route) || !route.includes(` dev ${BRIDGE}`))
      throw new Error(`the host reaches ${address} through ${route.trim()}, not on ${BRIDGE}`);
    return {
      namespace,
      address,
      hostAddress: subnet.hostAddress,
      hostDevice,
      inside: (argv) => ['ip', 'netns', 'exec', namespace, ...argv],
      installRules: async (rules) => {
        await systemCommand('ip', ['netns', 'exec', namespace, 'iptables-restore', '--noflush'], rules);
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw new CliError(
      `cannot set up the network namespace ${namespace}: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_CODES.UNAVAILABLE,
    );
  }
}

/** The bridge's subnet; the bridge is created (on a free /24) when no workload has it yet. */
async function ensureBridge(): Promise<BridgeSubnet> {
  const existing = await bridgeAddress();
  if (existing !== undefined) return existing;
  const subnet = chooseBridgeSubnet(await ip('-4', 'route', 'show', 'table', 'all'));
  if (subnet === undefined)
    throw new Error('every candidate subnet 10.213.0.0/16 overlaps a route of this host');
  await ip('link', 'add', BRIDGE, 'type', 'bridge');
  try {
    await ip('addr', 'add', `${subnet.hostAddress}/${subnet.prefixLength}`, 'dev', BRIDGE);
    await ip('link', 'set', BRIDGE, 'up');
  } catch (error) {
    await ip('link', 'delete', BRIDGE).catch(() => undefined);
    throw error;
  }
  return subnet;
}

async function bridgeAddress(): Promise<BridgeSubnet | undefined> {
  const text = await ip('-4', '-o', 'addr', 'show', 'dev', BRIDGE).catch(() => undefined);
  if (text === undefined) return undefined;
  const match = /\sinet\s(\d+\.\d+\.\d+\.\d+\/\d+)/.exec(text);
  if (!match?.[1]) {
    // A bridge without an address: left half-made; start it again.
    await ip('link', 'delete', BRIDGE).catch(() => undefined);
    return undefined;
  }
  return bridgeSubnet(match[1]);
}

async function heddleNamespaces(): Promise<string[]> {
  const text = await ip('netns', 'list');
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => NAMESPACE_PATTERN.test(name));
}

async function namespaceAddresses(namespace: string, subnet: BridgeSubnet): Promise<string[]> {
  const text = await ip('-n', namespace, '-4', '-o', 'addr', 'show').catch(() => '');
  return [...text.matchAll(/\sinet\s(\d+\.\d+\.\d+\.\d+)\//g)]
    .map((match) => match[1] ?? '')
    .filter((address) => subnet.contains(address));
}

/** Namespaces of `heddle run`s that died without cleaning up (SIGKILL), on this bridge's subnet. */
async function sweepStaleNamespaces(subnet: BridgeSubnet): Promise<void> {
  for (const namespace of await heddleNamespaces()) {
    const pid = Number(NAMESPACE_PATTERN.exec(namespace)?.[1]);
    if (isAlive(pid)) continue;
    if ((await namespaceAddresses(namespace, subnet)).length === 0) continue;
    await ip('netns', 'delete', namespace).catch(() => undefined);
  }
}

async function freeAddress(subnet: BridgeSubnet): Promise<string> {
  const used = new Set<string>([subnet.hostAddress]);
  for (const namespace of await heddleNamespaces())
    for (const address of await namespaceAddresses(namespace, subnet)) used.add(address);
  for (let n = 2; n < 255; n++) if (!used.has(subnet.address(n))) return subnet.address(n);
  throw new Error(`no free address left on ${subnet.cidr}`);
}

async function teardown(namespace: string, hostDevice: string): Promise<void> {
  // What the app left running (a daemonized child) would keep the namespace, and the veth pair, alive.
  const pids = await ip('netns', 'pids', namespace).catch(() => '');
  for (const pid of pids.split('\n').map(Number)) {
    if (pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  // Deleting one end deletes the pair at once; a deleted namespace lets go of its end only later.
  await ip('link', 'delete', hostDevice).catch(() => undefined);
  await ip('netns', 'delete', namespace).catch(() => undefined);
  await withHostLock(async () => {
    const ports = await ip('-o', 'link', 'show', 'master', BRIDGE).catch(() => undefined);
    if (ports !== undefined && ports.trim() === '') await ip('link', 'delete', BRIDGE).catch(() => undefined);
  });
}

function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
