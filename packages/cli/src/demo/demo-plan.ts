// The plan of one demo run, chosen before anything starts and written to `<data-dir>/demo/plan.json`: the
// ports of the control plane, the gateway and the issuer (so the command that drives traffic knows where each
// listens), and the workloads.
import { readFile, writeFile } from 'node:fs/promises';
import { CliError } from '../cli-error.ts';
import { ensureAddressFree } from '../control/ensure-address-free.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { allocatePorts, reservePort } from '../up/free-ports.ts';
import { gatewayPortOffset, localGatewayPort } from '../up/gateway-port-map.ts';
import { UP_HOST } from '../up/up-request.ts';
import { DEMO_WORKLOADS, type DemoWorkload } from './demo-workloads.ts';

export interface DemoPlan {
  readonly version: 1;
  readonly dataDir: string;
  readonly host: string;
  readonly httpPort: number;
  readonly xdsPort: number;
  /** Local port of Gateway port 80. */
  readonly gatewayHttpPort: number;
  /** Local port of Gateway port 443. */
  readonly gatewayHttpsPort: number;
  readonly gatewayAdminPort: number;
  readonly gatewayHealthPort: number;
  /** The test issuer's key set: `http://127.0.0.1:<port>/.well-known/jwks.json`. */
  readonly jwksPort: number;
  readonly logLevel: string;
  /**
   * The workloads; each `heddle run` picks its own free ports (the demo reads them back from its bootstrap),
   * so that no port planned for one workload can be taken meanwhile by another one's sidecar.
   */
  readonly workloads: readonly DemoWorkload[];
}

/** The issuer's port when it is free: the one request-authentication.yaml names. */
export const PREFERRED_JWKS_PORT = 15080;
const HTTPS_GATEWAY_PORT = 443;
const GATEWAY_PAIR_ATTEMPTS = 20;

export async function planDemo(dataDir: string, logLevel: string): Promise<DemoPlan> {
  const [gatewayHttpPort, gatewayHttpsPort] = await gatewayPorts();
  // HEDDLE_DEMO_ISSUER_PORT=0 skips the preferred port: demos started side by side (tests) would race for it.
  const preferred = process.env.HEDDLE_DEMO_ISSUER_PORT === '0' ? 0 : PREFERRED_JWKS_PORT;
  const jwksPort =
    preferred === 0
      ? 0
      : await ensureAddressFree({ host: UP_HOST, port: preferred }, 'demo issuer').then(
          () => preferred,
          () => 0,
        );
  const fixed = [gatewayHttpPort, gatewayHttpsPort, jwksPort];
  const wanted = ['HTTP API', 'xDS', 'gateway admin', 'gateway health'].map((role) => ({ role, port: 0 }));
  // The gateway's pair was released before these are picked: pick again in the rare case they meet.
  let ports = await allocatePorts(UP_HOST, wanted);
  for (let attempt = 0; ports.some((port) => fixed.includes(port)) && attempt < 5; attempt++)
    ports = await allocatePorts(UP_HOST, wanted);
  const [httpPort = 0, xdsPort = 0, gatewayAdminPort = 0, gatewayHealthPort = 0] = ports;
  const issuerPort =
    jwksPort !== 0 ? jwksPort : ((await allocatePorts(UP_HOST, [{ role: 'demo issuer', port: 0 }]))[0] ?? 0);
  return {
    version: 1,
    dataDir,
    host: UP_HOST,
    httpPort,
    xdsPort,
    gatewayHttpPort,
    gatewayHttpsPort,
    gatewayAdminPort,
    gatewayHealthPort,
    jwksPort: issuerPort,
    logLevel,
    workloads: DEMO_WORKLOADS,
  };
}

/**
 * A free local port for Gateway port 80 whose partner for 443 (the same distance up) is free too: on one
 * machine the gateway moves every Gateway port below 1024 by one offset.
 */
async function gatewayPorts(): Promise<[number, number]> {
  for (let attempt = 0; attempt < GATEWAY_PAIR_ATTEMPTS; attempt++) {
    const [http = 0] = await allocatePorts(UP_HOST, [{ role: 'ingress gateway', port: 0 }]);
    const https = localGatewayPort(HTTPS_GATEWAY_PORT, gatewayPortOffset(http));
    if (https <= 0 || https === http) continue;
    const free = await ensureAddressFree({ host: UP_HOST, port: https }, 'ingress gateway (443)').then(
      () => true,
      () => false,
    );
    if (free && reservePort(https)) return [http, https];
  }
  throw new CliError(
    'cannot find two free ports for the ingress gateway (80 and 443)',
    EXIT_CODES.UNAVAILABLE,
  );
}

export async function writePlan(path: string, plan: DemoPlan): Promise<void> {
  await writeFile(path, `${JSON.stringify(plan, null, 2)}\n`);
}

export async function readPlan(path: string): Promise<DemoPlan> {
  const plan = JSON.parse(await readFile(path, 'utf8')) as DemoPlan;
  if (plan.version !== 1 || !Array.isArray(plan.workloads))
    throw new CliError(`${path} is not a demo plan`, EXIT_CODES.UNREADABLE_INPUT);
  return plan;
}
