// What `heddle up` prints once everything is ready: where each part listens, how Gateway ports map to local
// ports, and what to do next. `-o json` prints the state file's content as one line instead.
import { formatAddress } from '../control/listen-address.ts';
import { DEFAULT_CONTROL_PLANE_URL } from '../client/control-plane-url.ts';
import { resolveDataHome } from './data-home.ts';
import { GATEWAY_HTTP_PORT } from './gateway-port-map.ts';
import type { UpState } from './up-state.ts';

export type UpFormat = 'text' | 'json';

export function upSummary(state: UpState, format: UpFormat, detached: boolean): string {
  if (format === 'json') return `${JSON.stringify(state)}\n`;
  const { controlPlane, gateway } = state;
  const gatewayUrl = `http://${formatAddress({ host: gateway.address, port: gateway.httpPort })}`;
  const mapping =
    gateway.portOffset === 0
      ? 'Gateway ports listen on their own numbers'
      : `Gateway port ${GATEWAY_HTTP_PORT} listens here; ports below 1024 move up by ${gateway.portOffset}, ` +
        'ports from 1024 stay as they are';
  const envHint = [
    ...(controlPlane.url === DEFAULT_CONTROL_PLANE_URL
      ? []
      : [`  export HEDDLE_CONTROL_PLANE=${controlPlane.url}   # for heddle apply, get, delete …`]),
    ...(state.dataDir === resolveDataHome(undefined, {}, state.dataDir)
      ? []
      : [`  export HEDDLE_HOME=${state.dataDir}   # for heddle run, down, version`]),
  ];
  return [
    `Heddle is up (data directory ${state.dataDir})`,
    `  control plane API   ${controlPlane.url}`,
    `  dashboard           ${controlPlane.url}/dashboard/`,
    `  xDS (gRPC)          ${controlPlane.xdsAddress}`,
    `  ingress gateway     ${gatewayUrl}   (${mapping})`,
    `  gateway admin       http://${formatAddress({ host: gateway.address, port: gateway.adminPort })}`,
    `  logs                ${state.logsDir}`,
    'Next:',
    ...envHint,
    '  heddle apply -f examples/ecommerce/',
    '  heddle run --name product-v1 --namespace ecommerce --labels app=product,version=v1 --port 0 -- <command>',
    `  curl -H 'Host: shop.example.com' ${gatewayUrl}/`,
    detached ? 'Stop with `heddle down`.' : 'Stop with Ctrl+C (SIGINT) or SIGTERM, or `heddle down`.',
    '',
  ].join('\n');
}
