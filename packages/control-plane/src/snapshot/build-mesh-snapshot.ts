// Assembles the translator's MeshSnapshot from the store's resources and the registry's services.
import type { IstioResource } from '@heddle/api';
import { snapshotFromResources, type MeshService, type MeshSnapshot } from '@heddle/translate';
import type { ConfigStore, StoredResource } from '../store/config-store.ts';
import { effectiveMeshConfig, type EffectiveMeshConfig } from './effective-mesh-config.ts';

/** Names (`namespace/name`) of the TLS credentials the secret store holds; the secret store plugs in here. */
export type CredentialSource = () => Iterable<string>;

export interface BuildMeshSnapshotOptions {
  readonly credentials?: CredentialSource;
  /** Namespace of the `istio` ConfigMap; `istio-system` by default. */
  readonly controlPlaneNamespace?: string;
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
    revision,
  });
  return { snapshot, meshConfig };
}
