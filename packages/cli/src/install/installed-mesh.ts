// The part of `heddle up` that runs what `heddle install` asked for, beyond the control plane and ingress
// gateway it always runs: one control plane per installed revision, the extra gateways (egress, more
// ingress gateways), and which revision the gateways follow. It reconciles when heddle up starts and on each
// SIGHUP (`heddle install`, `uninstall` and `upgrade` send one), then writes install/running.json.
import { join } from 'node:path';
import type { CliIo } from '../cli-io.ts';
import { formatAddress } from '../control/listen-address.ts';
import { ENTRY_POINTS } from '../supervisor/entry-points.ts';
import { describeExit } from '../supervisor/child-spec.ts';
import { logFilePath } from '../supervisor/log-file.ts';
import { DEFAULT_RESTART_POLICY } from '../supervisor/restart-backoff.ts';
import type { SupervisedChild } from '../supervisor/supervised-child.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import { dataPaths } from '../up/data-home.ts';
import { allocatePorts } from '../up/free-ports.ts';
import { gatewayNodeId, GATEWAY_NAMESPACE, GATEWAY_WORKLOAD } from '../up/gateway-bootstrap.ts';
import { gatewayPortOffset } from '../up/gateway-port-map.ts';
import type { JoinTokenKeeper } from '../up/join-token-keeper.ts';
import { waitReady } from '../up/wait-ready.ts';
import {
  extraGatewayFiles,
  extraGatewayNodeId,
  proxyNodeOptions,
  writeExtraGatewayFiles,
} from './extra-gateway.ts';
import type { GatewayPlan, InstallPlan } from './install-plan.ts';
import {
  installPaths,
  readGatewayRevision,
  readInstalledProfiles,
  writeJsonFile,
  type RunningGateway,
  type RunningInstall,
  type RunningRevision,
} from './install-state.ts';
import { startXdsRelay, type XdsRelay } from './xds-relay.ts';

/** A revision's control plane, run by the supervisor as its other Node components. */
const REVISION_CONTROL_PLANE_ENTRY = join(import.meta.dirname, 'revision-control-main.ts');

export interface BuiltInGateway {
  readonly relay: XdsRelay;
  readonly httpPort: number;
  readonly portOffset: number;
  readonly adminPort: number;
  readonly healthPort: number;
  readonly pid?: number;
}

export interface InstalledMeshSettings {
  readonly dataDir: string;
  readonly host: string;
  readonly supervisor: Supervisor;
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logLevel: string;
  readonly timeoutMs: number;
  /** heddle up's own control plane: the default revision, where workloads register. */
  readonly primary: RunningRevision;
  readonly ingress: BuiltInGateway;
}

export interface InstalledMesh {
  /** Brings what runs in line with the install files; calls queue up and run one at a time. */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

interface RevisionProcess extends RunningRevision {
  readonly child: SupervisedChild;
}

interface GatewayProcess {
  readonly plan: GatewayPlan;
  readonly relay: XdsRelay;
  readonly child: SupervisedChild;
  /** Keeps its join token fresh, when the control plane runs a CA. */
  readonly token?: JoinTokenKeeper;
  readonly running: Omit<RunningGateway, 'revision'>;
}

export function attachInstalledMesh(settings: InstalledMeshSettings): InstalledMesh {
  const revisions = new Map<string, RevisionProcess>();
  const gateways = new Map<string, GatewayProcess>();
  let queue: Promise<void> = Promise.resolve();
  let gatewayRevision = '';
  const note = (text: string): void => void settings.io.stderr.write(`heddle: ${text}\n`);

  const xdsOf = (revision: string): string | undefined =>
    revision === '' ? settings.primary.xdsAddress : revisions.get(revision)?.xdsAddress;

  const startRevision = async (revision: string): Promise<void> => {
    const [xds = 0, http = 0] = await allocatePorts(settings.host, [
      { role: `revision ${revision} xDS`, port: 0 },
      { role: `revision ${revision} HTTP API`, port: 0 },
    ]);
    const xdsAddress = formatAddress({ host: settings.host, port: xds });
    const httpAddress = formatAddress({ host: settings.host, port: http });
    const name = `control-plane-${revision}`;
    const child = await settings.supervisor.start(
      {
        name,
        kind: 'node',
        argv: [
          REVISION_CONTROL_PLANE_ENTRY,
          '--data-dir',
          dataPaths(settings.dataDir).controlPlane,
          '--revision',
          revision,
          '--xds-address',
          xdsAddress,
          '--http-address',
          httpAddress,
          '--primary',
          settings.primary.url,
          '--log-level',
          settings.logLevel,
        ],
        env: settings.env,
        logFile: logFilePath(settings.dataDir, name),
        restart: DEFAULT_RESTART_POLICY,
        stopTimeoutMs: 15_000,
      },
      {
        onGiveUp: (exit) =>
          note(`the control plane of revision ${revision} keeps stopping (${describeExit(exit)})`),
      },
    );
    const url = `http://${httpAddress}`;
    const ready = await waitReady(`${url}/ready`, settings.timeoutMs);
    if (ready !== 'ready') {
      await child.stop();
      note(
        `the control plane of revision ${revision} did not become ready; see ${logFilePath(settings.dataDir, name)}`,
      );
      return;
    }
    revisions.set(revision, {
      url,
      xdsAddress,
      child,
      ...(child.pid !== undefined ? { pid: child.pid } : {}),
    });
  };

  const startGateway = async (plan: GatewayPlan, profile: InstallPlan, revision: string): Promise<void> => {
    const [http = 0, admin = 0, health = 0] = await allocatePorts(settings.host, [
      { role: `${plan.name} Gateway port 80`, port: 0 },
      { role: `${plan.name} admin`, port: 0 },
      { role: `${plan.name} health`, port: 0 },
    ]);
    const relay = await startXdsRelay(xdsOf(revision) ?? settings.primary.xdsAddress, settings.host);
    const files = extraGatewayFiles(settings.dataDir, plan);
    const portOffset = gatewayPortOffset(http);
    let token: JoinTokenKeeper | undefined;
    let child: SupervisedChild;
    const name = `gateway-${plan.name}`;
    try {
      token = await writeExtraGatewayFiles(
        files,
        settings.primary.url,
        {
          gateway: plan,
          address: settings.host,
          xdsAddress: relay.address,
          adminPort: admin,
          healthPort: health,
          portOffset,
          ...(profile.proxy.concurrency !== undefined ? { concurrency: profile.proxy.concurrency } : {}),
        },
        (message) => note(`the ${plan.kind} gateway ${plan.name}: ${message}`),
      );
      const keeper = token;
      child = await settings.supervisor.start(
        {
          name,
          kind: 'node',
          // heddle-proxy itself: the bootstrap binds the Gateway listeners on the host, moving low ports.
          argv: [ENTRY_POINTS.proxy, '--bootstrap', files.bootstrap, '--log-level', settings.logLevel],
          env: proxyNodeOptions(settings.env, profile.proxy.heapMegabytes),
          logFile: logFilePath(settings.dataDir, name),
          restart: DEFAULT_RESTART_POLICY,
          stopTimeoutMs: 10_000,
        },
        {
          // A restarted gateway asks for its certificate at once: give it a token issued now, however long
          // this gateway has been running.
          onRestart: () => void keeper?.refresh(),
          onGiveUp: (exit) =>
            note(`the ${plan.kind} gateway ${plan.name} keeps stopping (${describeExit(exit)})`),
        },
      );
    } catch (error) {
      token?.close();
      await relay.close();
      throw error;
    }
    const ready = await waitReady(
      `http://${formatAddress({ host: settings.host, port: health })}/healthz/ready`,
      settings.timeoutMs,
    );
    if (ready !== 'ready')
      note(
        `the ${plan.kind} gateway ${plan.name} did not become ready; see ${logFilePath(settings.dataDir, name)}`,
      );
    gateways.set(plan.name, {
      plan,
      relay,
      child,
      ...(token ? { token } : {}),
      running: {
        kind: plan.kind,
        name: plan.name,
        namespace: plan.namespace,
        address: settings.host,
        httpPort: http,
        portOffset,
        adminPort: admin,
        healthPort: health,
        nodeId: extraGatewayNodeId(settings.host, plan),
        ...(child.pid !== undefined ? { pid: child.pid } : {}),
      },
    });
  };

  const reconcileOnce = async (): Promise<void> => {
    const profiles = await readInstalledProfiles(settings.dataDir);
    const wanted = new Set(
      profiles.map((profile) => profile.plan.revision).filter((revision) => revision !== ''),
    );
    for (const [revision, process] of revisions) {
      if (wanted.has(revision)) continue;
      revisions.delete(revision);
      await process.child.stop();
    }
    for (const revision of wanted) if (!revisions.has(revision)) await startRevision(revision);

    const desired = await readGatewayRevision(settings.dataDir);
    gatewayRevision = xdsOf(desired) !== undefined ? desired : '';
    const target = xdsOf(gatewayRevision) ?? settings.primary.xdsAddress;
    settings.ingress.relay.retarget(target);

    const wantedGateways = new Map<string, { plan: GatewayPlan; profile: InstallPlan }>();
    for (const { plan } of profiles) {
      for (const gateway of plan.gateways) {
        const builtIn = gateway.name === GATEWAY_WORKLOAD && gateway.namespace === GATEWAY_NAMESPACE;
        if (gateway.enabled && !builtIn && !wantedGateways.has(gateway.name))
          wantedGateways.set(gateway.name, { plan: gateway, profile: plan });
      }
    }
    for (const [name, gateway] of gateways) {
      const still = wantedGateways.get(name);
      if (still && JSON.stringify(still.plan) === JSON.stringify(gateway.plan)) continue;
      gateways.delete(name);
      gateway.token?.close();
      await gateway.child.stop();
      await gateway.relay.close();
    }
    for (const [name, { plan, profile }] of wantedGateways)
      if (!gateways.has(name)) await startGateway(plan, profile, gatewayRevision);
    for (const gateway of gateways.values()) gateway.relay.retarget(target);
    await writeRunning();
  };

  const writeRunning = async (): Promise<void> => {
    const { ingress } = settings;
    const running: RunningInstall = {
      pid: process.pid,
      revisions: Object.fromEntries([
        ['', settings.primary],
        ...[...revisions].map(([revision, { url, xdsAddress, pid }]) => [
          revision,
          { url, xdsAddress, ...(pid !== undefined ? { pid } : {}) },
        ]),
      ]) as Record<string, RunningRevision>,
      gateways: [
        {
          kind: 'ingress',
          name: GATEWAY_WORKLOAD,
          namespace: GATEWAY_NAMESPACE,
          revision: gatewayRevision,
          address: settings.host,
          httpPort: ingress.httpPort,
          portOffset: ingress.portOffset,
          adminPort: ingress.adminPort,
          healthPort: ingress.healthPort,
          nodeId: gatewayNodeId(settings.host),
          ...(ingress.pid !== undefined ? { pid: ingress.pid } : {}),
        },
        ...[...gateways.values()].map((gateway) => ({ ...gateway.running, revision: gatewayRevision })),
      ],
    };
    await writeJsonFile(installPaths(settings.dataDir).running, running);
  };

  return {
    reconcile() {
      queue = queue
        .then(reconcileOnce)
        .catch((error: unknown) =>
          note(
            `could not apply the installed profile: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      return queue;
    },
    async close() {
      await queue;
      for (const gateway of gateways.values()) {
        gateway.token?.close();
        await gateway.relay.close();
      }
    },
  };
}
