// Auto-registration from a WorkloadGroup, as Istio does it for VMs: the group's template plus the address
// (and a few facts) of the workload that joins.
import type { ConfigObject } from './specs/config-object.ts';
import { readWorkloadGroupSpec } from './specs/workload-group-spec.ts';
import type { WorkloadRegistration } from './registration.ts';

export interface GroupRegistrationOverrides {
  /** Istio's auto-registered name, `<group>-<address>[-<network>]`, when absent. */
  readonly name?: string;
  /** Merged over the group's labels, as the proxy's own labels are in Istio. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Merged over the template's ports by name: one machine without network namespaces gives each workload its own. */
  readonly ports?: Readonly<Record<string, number>>;
  readonly locality?: string;
  readonly network?: string;
}

/** Identity (serviceAccount) always comes from the group: a joining workload cannot choose its own. */
export function registrationFromGroup(
  group: ConfigObject,
  address: string,
  overrides: GroupRegistrationOverrides = {},
): WorkloadRegistration {
  const { metadata, template } = readWorkloadGroupSpec(group.spec);
  const network = overrides.network ?? template.network;
  const locality = overrides.locality ?? template.locality;
  return {
    name: overrides.name ?? autoRegisteredName(group.metadata.name, address, overrides.network),
    namespace: group.metadata.namespace,
    address,
    ports: { ...template.ports, ...overrides.ports },
    // Istio's precedence: template labels < group metadata labels < the workload's own.
    labels: { ...template.labels, ...metadata.labels, ...overrides.labels },
    ...(template.serviceAccount !== undefined ? { serviceAccount: template.serviceAccount } : {}),
    ...(locality !== undefined ? { locality } : {}),
    ...(network !== undefined ? { network } : {}),
    ...(template.weight !== undefined ? { weight: template.weight } : {}),
  };
}

/** `<group>-<address>[-<network>]` with IPv6 colons made name-safe, as Istio names auto-registered entries. */
export function autoRegisteredName(groupName: string, address: string, network?: string): string {
  const parts = [groupName, address.replaceAll(':', '-'), ...(network ? [network] : [])];
  return parts.join('-');
}
