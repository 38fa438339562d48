// Sorts typed Istio resources into a MeshSnapshot; the services come from the registry.
import type { IstioResource, MeshConfig } from '@heddle/api';
import { emptySnapshot, type CredentialMaterial, type MeshSnapshot } from '../model/mesh-snapshot.ts';
import type { MeshService } from '../model/service.ts';

export interface SnapshotOptions {
  readonly meshConfig: MeshConfig;
  readonly credentials?: ReadonlySet<string>;
  /** PEM material of the credentials, for the SDS secrets of gateways. */
  readonly credentialMaterial?: ReadonlyMap<string, CredentialMaterial>;
  /** JWKS JSON by URI, from the control plane's JWKS resolver. */
  readonly jwks?: ReadonlyMap<string, string>;
  /** PEM of the mesh CA's roots, sent as SDS `ROOTCA`. */
  readonly trustBundle?: string;
  readonly revision?: number;
}

export function snapshotFromResources(
  resources: readonly IstioResource[],
  services: readonly MeshService[],
  options: SnapshotOptions,
): MeshSnapshot {
  const base = emptySnapshot(options.meshConfig);
  const pick = <K extends IstioResource['kind']>(kind: K): Extract<IstioResource, { kind: K }>[] =>
    resources.filter((r): r is Extract<IstioResource, { kind: K }> => r.kind === kind);
  return {
    ...base,
    services,
    virtualServices: pick('VirtualService'),
    destinationRules: pick('DestinationRule'),
    gateways: pick('Gateway'),
    sidecars: pick('Sidecar'),
    envoyFilters: pick('EnvoyFilter'),
    peerAuthentications: pick('PeerAuthentication'),
    authorizationPolicies: pick('AuthorizationPolicy'),
    requestAuthentications: pick('RequestAuthentication'),
    telemetries: pick('Telemetry'),
    wasmPlugins: pick('WasmPlugin'),
    credentials: options.credentials ?? new Set(),
    ...(options.credentialMaterial ? { credentialMaterial: options.credentialMaterial } : {}),
    jwks: options.jwks ?? new Map(),
    ...(options.trustBundle ? { trustBundle: options.trustBundle } : {}),
    revision: options.revision ?? 0,
  };
}
