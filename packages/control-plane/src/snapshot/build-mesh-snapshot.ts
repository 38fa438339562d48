// Assembles the translator's MeshSnapshot from the store's resources and the registry's services.
import type { IstioResource, RequestAuthentication } from '@heddle/api';
import {
  snapshotFromResources,
  type CredentialMaterial,
  type MeshService,
  type MeshSnapshot,
} from '@heddle/translate';
import type { ConfigStore, StoredResource } from '../store/config-store.ts';
import { effectiveMeshConfig, type EffectiveMeshConfig } from './effective-mesh-config.ts';

/** Names (`namespace/name`) of the TLS credentials the secret store holds; the secret store plugs in here. */
export type CredentialSource = () => Iterable<string>;

export interface BuildMeshSnapshotOptions {
  readonly credentials?: CredentialSource;
  /** PEM material of those credentials by `namespace/name`, sent to the gateways that name them. */
  readonly credentialMaterial?: () => ReadonlyMap<string, CredentialMaterial>;
  /** Namespace of the `istio` ConfigMap; `istio-system` by default. */
  readonly controlPlaneNamespace?: string;
  /** PEM of the CA's trust bundle, read at every rebuild; none when the control plane runs without a CA. */
  readonly trustBundle?: () => string | undefined;
  /** JWKS JSON by URI for the snapshot's RequestAuthentications (the JWKS resolver); none fetched by default. */
  readonly jwks?: (requestAuthentications: readonly RequestAuthentication[]) => ReadonlyMap<string, string>;
}

export interface BuiltSnapshot {
  readonly snapshot: MeshSnapshot;
  readonly meshConfig: EffectiveMeshConfig;
}

export async function buildMeshSnapshot(
  store: ConfigStore,
  services: readonly MeshService[],
  options: BuildMeshSnapshotOptions = {},
): Promise<BuiltSnapshot> {
  const listing = await store.list();
  return snapshotFromListing(listing.items, listing.revision, services, options);
}

export function snapshotFromListing(
  items: readonly StoredResource[],
  revision: number,
  services: readonly MeshService[],
  options: BuildMeshSnapshotOptions = {},
): BuiltSnapshot {
  const meshConfig = effectiveMeshConfig(items, options.controlPlaneNamespace);
  // The store keeps what validation accepted; the model wants `spec` present even when the YAML had none.
  const resources = items.map((item) => ({ ...item, spec: item.spec ?? {} }) as unknown as IstioResource);
  const snapshot = snapshotFromResources(resources, services, {
    meshConfig: meshConfig.meshConfig,
    credentials: new Set(options.credentials?.() ?? []),
    ...(options.credentialMaterial ? { credentialMaterial: options.credentialMaterial() } : {}),
    ...trustBundleOf(options),
    ...jwksOf(options, resources),
    revision,
  });
  return { snapshot, meshConfig };
}

function trustBundleOf(options: BuildMeshSnapshotOptions): { trustBundle?: string } {
  const bundle = options.trustBundle?.();
  return bundle ? { trustBundle: bundle } : {};
}

function jwksOf(
  options: BuildMeshSnapshotOptions,
  resources: readonly IstioResource[],
): { jwks?: ReadonlyMap<string, string> } {
  if (!options.jwks) return {};
  const policies = resources.filter((r): r is RequestAuthentication => r.kind === 'RequestAuthentication');
  return { jwks: options.jwks(policies) };
}
