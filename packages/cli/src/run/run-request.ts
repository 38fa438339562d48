// The options of `heddle run` after parsing.
import type { LogLevel } from '../control/run-control.ts';
import type { AppMetricsSpec } from './parse-metrics-port.ts';
import type { PortSpec } from './parse-port-spec.ts';

export interface RunRequest {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly ports: readonly PortSpec[];
  /** 0: choose a free port. */
  readonly outboundPort: number;
  /** Where the app serves its own Prometheus metrics (`--metrics-port N[:path]`), merged by the sidecar. */
  readonly appMetrics?: AppMetricsSpec;
  readonly command: readonly string[];
  /**
   * `explicit` (the default): the app on loopback, calling out through HTTP_PROXY. `transparent`: the app in a
   * network namespace of its own, its traffic sent through the sidecar by iptables (Linux, root).
   */
  readonly capture?: 'explicit' | 'transparent';
  readonly dataDir?: string;
  readonly controlPlane?: string;
  readonly xdsAddress?: string;
  /** The control-plane revision the sidecar follows; else the `istio.io/rev` label, else the default. */
  readonly revision?: string;
  readonly logLevel: LogLevel;
  /** How long the sidecar may take to become ready. */
  readonly timeoutMs: number;
  readonly cwd: string;
}
