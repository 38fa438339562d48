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

/** One stored TLS credential: a certificate chain with its key, a CA bundle for client certificates, or both. */
export interface CredentialMaterial {
  /** PEM certificates, leaf first; absent in a secret that holds only a CA bundle (Istio's `<name>-cacert`). */
  readonly certificateChain?: string;
  /** PEM private key of the chain's leaf; present exactly when `certificateChain` is. */
  readonly privateKey?: string;
  /** PEM CA certificates that verify client certificates (`ca.crt`), for MUTUAL servers. */
  readonly caCertificate?: string;
}

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
  /**
   * The PEM material of those credentials, by the same `namespace/name`; sent inline as the SDS secrets
   * `kubernetes://<name>` and `kubernetes://<name>-cacert` to the gateways that reference them. Absent when
   * the proxies get their certificates some other way (only the names are known then).
   */
  readonly credentialMaterial?: ReadonlyMap<string, CredentialMaterial>;
  /**
   * JWKS JSON by the URI it was fetched from (a RequestAuthentication `jwksUri`, or an issuer's OpenID
   * discovery URL when the rule names no JWKS), as the control plane last fetched it. A URI without an entry
   * was not fetched (or failed): its JWT provider gets a key set no token satisfies.
   */
  readonly jwks: ReadonlyMap<string, string>;
  /** PEM of every root the mesh CA trusts (several during a root rotation); sent to proxies as SDS `ROOTCA`. */
  readonly trustBundle?: string;
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
    jwks: new Map(),
    revision: 0,
  };
}
