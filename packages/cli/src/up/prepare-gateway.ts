// Writes the ingress gateway's bootstrap once the control plane answers: with a join token file when the
// control plane runs a CA (replaced at half the token's life, so the gateway's agent always finds one the CA
// accepts, after a restart too), without one otherwise.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { dataPaths } from './data-home.ts';
import { gatewayBootstrap } from './gateway-bootstrap.ts';
import { keepGatewayToken } from './gateway-identity.ts';
import { gatewayPortOffset } from './gateway-port-map.ts';
import type { UpPorts } from './up-components.ts';

export interface GatewayFiles {
  readonly dataDir: string;
  readonly ports: UpPorts;
  readonly xdsAddress: string;
  readonly controlPlaneUrl: string;
  /** Told when a token refresh fails (the keeper tries again). */
  readonly onTokenError?: (message: string) => void;
}

/** Resolves to a function that stops the token refresh. */
export async function prepareGatewayFiles(files: GatewayFiles): Promise<() => void> {
  const paths = dataPaths(files.dataDir);
  await mkdir(dirname(paths.gatewayBootstrap), { recursive: true });
  const token = await keepGatewayToken(files.controlPlaneUrl, paths.gatewayToken, files.onTokenError);
  const bootstrap = gatewayBootstrap({
    address: files.ports.host,
    xdsAddress: files.xdsAddress,
    adminPort: files.ports.gatewayAdmin,
    healthPort: files.ports.gatewayHealth,
    ...(token ? { tokenFile: token.tokenFile } : {}),
    listen: { address: files.ports.host, portOffset: gatewayPortOffset(files.ports.gateway) },
  });
  await writeFile(paths.gatewayBootstrap, `${JSON.stringify(bootstrap, null, 2)}\n`);
  return () => token?.close();
}
