// Everything the translator reads: mesh-wide settings, services from the registry, and the Istio config.
import type {
  AuthorizationPolicy,
  DestinationRule,
  EnvoyFilter,
  Gateway,
  MeshConfig,
  PeerAuthentication,
  RequestAuthentication,
  Sidecar,
  Telemetry,
  VirtualService,
  WasmPlugin,
} from '@heddle/api';
import type { MeshService } from './service.ts';

export interface MeshSnapshot {
  /** Effective meshConfig (Istio's defaults merged with the user's). */
  readonly meshConfig: MeshConfig;
  /** Sorted by hostname. */
  readonly services: readonly MeshService[];
  readonly virtualServices: readonly VirtualService[];
  readonly destinationRules: readonly DestinationRule[];
  readonly gateways: readonly Gateway[];
  readonly sidecars: readonly Sidecar[];
  readonly envoyFilters: readonly EnvoyFilter[];
  readonly peerAuthentications: readonly PeerAuthentication[];
  readonly authorizationPolicies: readonly AuthorizationPolicy[];
  readonly requestAuthentications: readonly RequestAuthentication[];
  readonly telemetries: readonly Telemetry[];
  readonly wasmPlugins: readonly WasmPlugin[];
  /** Names (`namespace/name`) of TLS credentials in the local secret store, for Gateway `credentialName`. */
  readonly credentials: ReadonlySet<string>;
  /** Store revision the snapshot was taken at; only for debugging output, never in resources. */
  readonly revision: number;
}

export function emptySnapshot(meshConfig: MeshConfig): MeshSnapshot {
  return {
    meshConfig,
    services: [],
    virtualServices: [],
    destinationRules: [],
    gateways: [],
    sidecars: [],
    envoyFilters: [],
    peerAuthentications: [],
    authorizationPolicies: [],
    requestAuthentications: [],
    telemetries: [],
    wasmPlugins: [],
    credentials: new Set(),
    revision: 0,
  };
}
