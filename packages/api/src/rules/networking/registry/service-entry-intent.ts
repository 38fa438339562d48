// ServiceEntry configurations Istio accepts but that rarely do what their author meant.
import { REGISTRY_CODES } from '../../../findings/codes.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isIP } from '../../common/ip.ts';
import { isHttpProtocol, isTlsProtocol } from './protocol.ts';
import { isSet, listAt, stringAt, type Struct } from './read.ts';
import type { ServicePort } from './service-entry-ports.ts';

const CLUSTER_LOCAL = /\.svc\.cluster\.local\.?$/;

export function checkServiceEntryIntent(ctx: RuleContext, spec: Struct, ports: readonly ServicePort[]): void {
  checkAddressNotEndpoint(ctx, spec, ports);
  checkClusterLocalExternal(ctx, spec);
}

/**
 * `addresses` are the virtual IPs clients connect to; with DNS resolution and no endpoints the proxy sends
 * traffic to whatever the host name resolves to. People often put the real server IP there instead.
 */
function checkAddressNotEndpoint(ctx: RuleContext, spec: Struct, ports: readonly ServicePort[]): void {
  const resolution = stringAt(spec.resolution);
  if (resolution !== 'DNS' && resolution !== 'DNS_ROUND_ROBIN') return;
  if (listAt(spec.endpoints).length > 0 || isSet(spec.workloadSelector)) return;
  const addresses = listAt(spec.addresses);
  const index = addresses.findIndex((address) => typeof address === 'string' && isIP(address) !== 0);
  if (index < 0) return;
  const address = String(addresses[index]);
  const host = stringAt(listAt(spec.hosts)[0]) ?? 'the host';
  const message = `${address} is only the virtual IP clients connect to: with resolution ${resolution} and no endpoints, traffic goes to whatever "${host}" resolves to, not to ${address}; to send traffic to ${address}, list it under endpoints (endpoints: [{address: ${address}}]) and use resolution STATIC`;
  // For TCP ports a virtual IP is how the proxy tells services apart, so it is often deliberate there.
  const named =
    ports.length > 0 && ports.every((port) => isHttpProtocol(port.protocol) || isTlsProtocol(port.protocol));
  if (named)
    ctx.warn(REGISTRY_CODES.SERVICE_ENTRY_ADDRESS_NOT_ENDPOINT, ['spec', 'addresses', index], message);
  else ctx.info(REGISTRY_CODES.SERVICE_ENTRY_ADDRESS_NOT_ENDPOINT, ['spec', 'addresses', index], message);
}

function checkClusterLocalExternal(ctx: RuleContext, spec: Struct): void {
  const location = stringAt(spec.location);
  if (location !== undefined && location !== 'MESH_EXTERNAL') return;
  listAt(spec.hosts).forEach((host, index) => {
    if (typeof host !== 'string' || !CLUSTER_LOCAL.test(host)) return;
    ctx.info(
      REGISTRY_CODES.SERVICE_ENTRY_CLUSTER_LOCAL_EXTERNAL,
      ['spec', 'hosts', index],
      `"${host}" is a Kubernetes service name, but location ${location ? 'is' : 'defaults to'} MESH_EXTERNAL, so it is treated as outside the mesh (no mutual TLS, policy enforced by the client); if it is a mesh service, for example in another cluster, set location: MESH_INTERNAL`,
    );
  });
}
