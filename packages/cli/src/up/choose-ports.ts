// The ports of one `heddle up`: fixed ones checked free, 0 turned into free ones, all before anything starts.
import { UsageError } from '../usage-error.ts';
import { allocatePorts } from './free-ports.ts';
import { GATEWAY_HTTP_PORT } from './gateway-port-map.ts';
import type { UpPorts } from './up-components.ts';
import { UP_HOST, type UpRequest } from './up-request.ts';

export async function chooseUpPorts(request: UpRequest): Promise<UpPorts> {
  const wanted = [
    { role: 'HTTP API', port: request.httpPort, option: '--http-port' },
    { role: 'xDS', port: request.xdsPort, option: '--xds-port' },
    {
      role: `ingress gateway, Gateway port ${GATEWAY_HTTP_PORT}`,
      port: request.gatewayPort,
      option: '--gateway-port',
    },
    { role: 'gateway admin', port: request.gatewayAdminPort, option: '--gateway-admin-port' },
    { role: 'gateway health', port: request.gatewayHealthPort, option: '--gateway-health-port' },
  ];
  const seen = new Map<number, string>();
  for (const { port, option } of wanted) {
    const other = seen.get(port);
    if (port !== 0 && other !== undefined)
      throw new UsageError(`${other} and ${option} are both ${port}`, 'Give each component its own port.');
    seen.set(port, option);
  }
  const [http = 0, xds = 0, gateway = 0, gatewayAdmin = 0, gatewayHealth = 0] = await allocatePorts(
    UP_HOST,
    wanted,
  );
  return { host: UP_HOST, http, xds, gateway, gatewayAdmin, gatewayHealth };
}
