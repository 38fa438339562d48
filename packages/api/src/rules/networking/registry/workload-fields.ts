// Checks shared by everything shaped like a WorkloadEntry: WorkloadEntry itself, ServiceEntry endpoints and
// the WorkloadGroup template (address, ports, labels, locality, network, service account).
import { COMMON_CODES, REGISTRY_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isIP } from '../../common/ip.ts';
import { isDns1123Label, isDns1123Subdomain } from '../../common/values.ts';
import { fqdnProblem } from './fqdn.ts';
import { portNumberProblem } from './port-number.ts';
import { checkLabelMap } from './labels.ts';
import { isSet, isStruct, stringAt, type Struct } from './read.ts';
import { isUnixAddress, unixAddressProblem } from './unix-address.ts';

/**
 * Which addresses are acceptable: a WorkloadEntry may hold an IP, a host name or a socket; a STATIC
 * ServiceEntry needs IPs or sockets; a DNS one IPs or host names; a WorkloadGroup template has none.
 */
export type AddressRule = 'workload-entry' | 'static' | 'dns' | 'template';

export interface WorkloadFieldOptions {
  readonly addresses: AddressRule;
  /** Port names of the owning ServiceEntry; endpoint ports must use them. */
  readonly servicePorts?: ReadonlySet<string>;
}

const NETWORK = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function checkWorkloadFields(
  ctx: RuleContext,
  entry: Struct,
  path: FieldPath,
  options: WorkloadFieldOptions,
): void {
  const unix = checkAddress(ctx, entry, path, options);
  checkPorts(ctx, entry, path, options, unix);
  checkLabelMap(ctx, entry.labels, [...path, 'labels']);
  checkLocality(ctx, entry.locality, [...path, 'locality']);
  const network = stringAt(entry.network);
  if (network && (network.length > 63 || !NETWORK.test(network))) {
    ctx.warn(
      REGISTRY_CODES.WORKLOAD_NETWORK_INVALID,
      [...path, 'network'],
      `"${network}" cannot be used as a network name, which is also a label value (topology.istio.io/network); use letters, digits, "-", "_" and "."`,
    );
  }
  const account = stringAt(entry.serviceAccount);
  if (account && !isDns1123Subdomain(account)) {
    ctx.error(
      REGISTRY_CODES.WORKLOAD_SERVICE_ACCOUNT_INVALID,
      [...path, 'serviceAccount'],
      `"${account}" is not a valid service account name; use lower-case letters, digits, "-" and "."`,
    );
  }
}

/** Returns true when the address is a Unix domain socket. */
function checkAddress(
  ctx: RuleContext,
  entry: Struct,
  path: FieldPath,
  options: WorkloadFieldOptions,
): boolean {
  if (options.addresses === 'template') return false;
  const at = [...path, 'address'];
  const address = stringAt(entry.address) ?? '';
  if (address === '') {
    const network = stringAt(entry.network);
    if (network && options.addresses !== 'dns') {
      ctx.warn(
        REGISTRY_CODES.WORKLOAD_ADDRESS_UNSET,
        at,
        `no address is set, so this workload is only reachable through the gateway of network "${network}"`,
      );
    } else {
      ctx.error(
        COMMON_CODES.REQUIRED_FIELD,
        at,
        'an address is required (an IP, a host name or unix:///path)',
      );
    }
    return false;
  }
  if (isUnixAddress(address)) {
    if (options.addresses === 'dns') {
      ctx.error(
        REGISTRY_CODES.WORKLOAD_ADDRESS_INVALID,
        at,
        `"${address}" is a socket, which resolution DNS cannot use; use resolution STATIC for Unix domain sockets`,
      );
      return false;
    }
    const problem = unixAddressProblem(address);
    if (problem) ctx.error(REGISTRY_CODES.WORKLOAD_ADDRESS_INVALID, at, problem);
    return true;
  }
  if (isIP(address) !== 0) return false;
  if (options.addresses === 'static') {
    ctx.error(
      REGISTRY_CODES.WORKLOAD_ADDRESS_INVALID,
      at,
      `"${address}" is not an IP address; with resolution STATIC endpoints are IPs or unix:///path (use resolution DNS for host names)`,
    );
    return false;
  }
  const problem = fqdnProblem(address);
  if (problem) {
    ctx.error(
      REGISTRY_CODES.WORKLOAD_ADDRESS_INVALID,
      at,
      `${problem}; an address is an IP, a host name${options.addresses === 'dns' ? '' : ' or unix:///path'}`,
    );
  }
  return false;
}

function checkPorts(
  ctx: RuleContext,
  entry: Struct,
  path: FieldPath,
  options: WorkloadFieldOptions,
  unix: boolean,
): void {
  const ports = entry.ports;
  if (!isStruct(ports)) return;
  if (unix && Object.keys(ports).length > 0) {
    ctx.error(
      REGISTRY_CODES.WORKLOAD_UNIX_PORTS,
      [...path, 'ports'],
      'a Unix domain socket address has no ports; remove ports',
    );
  }
  for (const [name, number] of Object.entries(ports)) {
    const at = [...path, 'ports', name];
    if (!isDns1123Label(name)) {
      ctx.error(
        COMMON_CODES.NAME_INVALID,
        at,
        `port name "${name}" is not valid; use lower-case letters, digits and "-"`,
      );
    } else if (options.servicePorts && !options.servicePorts.has(name)) {
      const known = [...options.servicePorts].join(', ') || 'none';
      ctx.error(
        REGISTRY_CODES.SERVICE_ENTRY_ENDPOINT_PORT_UNKNOWN,
        at,
        `"${name}" is not the name of a port of this ServiceEntry (ports: ${known}); endpoint ports map service port names to workload ports`,
      );
    }
    const problem = typeof number === 'number' ? portNumberProblem(number) : undefined;
    if (problem) ctx.error(COMMON_CODES.PORT_INVALID, at, problem);
  }
}

function checkLocality(ctx: RuleContext, locality: unknown, path: FieldPath): void {
  if (!isSet(locality) || typeof locality !== 'string') return;
  const parts = locality.split('/');
  if (parts.length > 3 || parts.some((part) => part === '' || part.includes('*'))) {
    ctx.warn(
      REGISTRY_CODES.WORKLOAD_LOCALITY_INVALID,
      path,
      `"${locality}" is not a locality; write region, region/zone or region/zone/subzone (e.g. "us-east1/us-east1-b")`,
    );
  }
}
