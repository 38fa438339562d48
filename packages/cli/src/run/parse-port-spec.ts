// `--port [name=]N[:appPort]`: the workload's mesh port N (where its sidecar accepts mesh traffic, registered
// under the service port name, `http` by default) and the loopback port the app listens on. 0 or no app port
// lets `heddle run` choose a free one; the app learns it from $PORT.
import { UsageError } from '../usage-error.ts';

export interface PortSpec {
  /** The service port name the workload is registered under (a WorkloadEntry's `ports` key). */
  readonly name: string;
  /** 0: choose a free port. */
  readonly meshPort: number;
  /** 0: choose a free port. */
  readonly appPort: number;
}

export const DEFAULT_PORT_NAME = 'http';
const SPEC = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)=)?(\d{1,5})(?::(\d{1,5}))?$/;
const HINT =
  'A port is [name=]N[:appPort], e.g. --port 9080, --port http=9080:8080 or --port 0 (any free port).';

export function parsePortSpec(text: string): PortSpec {
  const match = SPEC.exec(text.trim());
  const meshPort = Number(match?.[3]);
  const appPort = match?.[4] === undefined ? 0 : Number(match[4]);
  if (!match || meshPort > 65_535 || appPort > 65_535) throw new UsageError(`invalid port '${text}'`, HINT);
  return { name: match[1] ?? DEFAULT_PORT_NAME, meshPort, appPort };
}

/** Each name once: a workload has one port per service port name. */
export function checkPortSpecs(specs: readonly PortSpec[]): void {
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name))
      throw new UsageError(
        `two ports are named '${spec.name}'`,
        'Name each port after the service port it serves, e.g. --port http=9080 --port grpc=9090.',
      );
    names.add(spec.name);
  }
}
