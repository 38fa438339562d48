// The components `heddle up` runs, in start order, each with how to start it and how to know it is ready.
// The web dashboard is not a component of its own: the control plane serves it on its HTTP port.
import { DASHBOARD_DIST_DIR } from '@heddle/dashboard';
import { ENTRY_POINTS } from '../supervisor/entry-points.ts';
import type { ChildSpec } from '../supervisor/child-spec.ts';
import { logFilePath } from '../supervisor/log-file.ts';
import { DEFAULT_RESTART_POLICY } from '../supervisor/restart-backoff.ts';
import { formatAddress } from '../control/listen-address.ts';
import { dataPaths } from './data-home.ts';

export interface UpPorts {
  readonly host: string;
  readonly http: number;
  readonly xds: number;
  /** Local port of Gateway port 80. */
  readonly gateway: number;
  readonly gatewayAdmin: number;
  readonly gatewayHealth: number;
}

export interface UpComponent {
  /** As shown in progress lines. */
  readonly title: string;
  readonly spec: ChildSpec;
  /** Answers 200 once the component is ready. */
  readonly readyUrl: string;
  /** Runs before it starts, once the components before it are ready (e.g. writes its bootstrap). */
  readonly prepare?: () => Promise<void>;
}

export interface ComponentSettings {
  readonly dataDir: string;
  readonly ports: UpPorts;
  readonly portOffset: number;
  readonly logLevel: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes the gateway's bootstrap (and join token), once the control plane answers. */
  readonly prepareGateway: () => Promise<void>;
}

export function upComponents(settings: ComponentSettings): UpComponent[] {
  const { dataDir, ports, env } = settings;
  const paths = dataPaths(dataDir);
  const address = (port: number): string => formatAddress({ host: ports.host, port });
  return [
    {
      title: 'control plane',
      readyUrl: `http://${address(ports.http)}/ready`,
      spec: {
        name: 'control-plane',
        kind: 'node',
        argv: [
          ENTRY_POINTS.heddle,
          'control',
          '--data-dir',
          paths.controlPlane,
          '--xds-address',
          address(ports.xds),
          '--http-address',
          address(ports.http),
          '--dashboard-dir',
          DASHBOARD_DIST_DIR,
          '--log-level',
          settings.logLevel,
        ],
        env,
        logFile: logFilePath(dataDir, 'control-plane'),
        restart: DEFAULT_RESTART_POLICY,
        stopTimeoutMs: 15_000,
      },
    },
    {
      title: 'ingress gateway',
      prepare: settings.prepareGateway,
      readyUrl: `http://${address(ports.gatewayHealth)}/healthz/ready`,
      spec: {
        name: 'gateway',
        kind: 'node',
        // heddle-proxy itself: the bootstrap binds the Gateway listeners on the host, moving low ports.
        argv: [ENTRY_POINTS.proxy, '--bootstrap', paths.gatewayBootstrap, '--log-level', settings.logLevel],
        env,
        logFile: logFilePath(dataDir, 'gateway'),
        restart: DEFAULT_RESTART_POLICY,
        // The bootstrap's 5 s drain, then a margin.
        stopTimeoutMs: 10_000,
      },
    },
  ];
}
