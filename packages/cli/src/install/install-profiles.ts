// Istio's built-in installation profiles, as far as they shape a local install: which gateways are on by
// default and which meshConfig the profile sets. Everything else a profile changes is Kubernetes packaging.

export interface ProfileDefaults {
  readonly pilot: boolean;
  readonly ingressGateway: boolean;
  readonly egressGateway: boolean;
  readonly meshConfig: Readonly<Record<string, unknown>>;
  /** Said once in the report when the profile means more than Heddle runs locally. */
  readonly note?: string;
}

const DEFAULT: ProfileDefaults = { pilot: true, ingressGateway: true, egressGateway: false, meshConfig: {} };

const PROFILES: Readonly<Record<string, ProfileDefaults>> = {
  default: DEFAULT,
  stable: DEFAULT,
  preview: DEFAULT,
  openshift: DEFAULT,
  demo: {
    pilot: true,
    ingressGateway: true,
    egressGateway: true,
    meshConfig: { accessLogFile: '/dev/stdout' },
  },
  minimal: { pilot: true, ingressGateway: false, egressGateway: false, meshConfig: {} },
  empty: { pilot: false, ingressGateway: false, egressGateway: false, meshConfig: {} },
  remote: {
    pilot: false,
    ingressGateway: false,
    egressGateway: false,
    meshConfig: {},
    note: 'profile remote describes a cluster served by a control plane elsewhere; locally Heddle runs its own control plane',
  },
  external: {
    pilot: false,
    ingressGateway: false,
    egressGateway: false,
    meshConfig: {},
    note: 'profile external describes a control plane outside the cluster; locally Heddle runs its own control plane',
  },
  ambient: {
    pilot: true,
    ingressGateway: false,
    egressGateway: false,
    meshConfig: {},
    note: 'profile ambient installs ztunnel and the CNI node agent on Kubernetes; Heddle runs sidecars instead',
  },
};

export function profileDefaults(profile: string): ProfileDefaults {
  return (
    PROFILES[profile] ??
    PROFILES[profile.replace(/-ambient$/, '') === profile ? 'default' : 'ambient'] ??
    DEFAULT
  );
}
