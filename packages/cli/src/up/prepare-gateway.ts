// Writes the ingress gateway's bootstrap once the control plane answers: with a join token file when the
// control plane runs a CA (refreshed daily, as tokens last a week), without one otherwise.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { dataPaths } from './data-home.ts';
import { gatewayBootstrap } from './gateway-bootstrap.ts';
import { refreshGatewayToken } from './gateway-identity.ts';
import { gatewayPortOffset } from './gateway-port-map.ts';
import type { UpPorts } from './up-components.ts';

const TOKEN_REFRESH_MS = 24 * 3600 * 1000;

export interface GatewayFiles {
  readonly dataDir: string;
  readonly ports: UpPorts;
  readonly xdsAddress: string;
  readonly controlPlaneUrl: string;
}

/** Resolves to a function that stops the token refresh. */
export async function prepareGatewayFiles(files: GatewayFiles): Promise<() => void> {
  const paths = dataPaths(files.dataDir);
  await mkdir(dirname(paths.gatewayBootstrap), { recursive: true });
  const hasToken = await refreshGatewayToken(files.controlPlaneUrl, paths.gatewayToken);
  const refresh = hasToken
    ? setInterval(
        () => void refreshGatewayToken(files.controlPlaneUrl, paths.gatewayToken).catch(() => undefined),
        TOKEN_REFRESH_MS,
      ).unref()
    : undefined;
  const bootstrap = gatewayBootstrap({
    address: files.ports.host,
    xdsAddress: files.xdsAddress,
    adminPort: files.ports.gatewayAdmin,
    healthPort: files.ports.gatewayHealth,
    ...(hasToken ? { tokenFile: paths.gatewayToken } : {}),
    listen: { address: files.ports.host, portOffset: gatewayPortOffset(files.ports.gateway) },
  });
  await writeFile(paths.gatewayBootstrap, `${JSON.stringify(bootstrap, null, 2)}\n`);
  return () => clearInterval(refresh);
}
