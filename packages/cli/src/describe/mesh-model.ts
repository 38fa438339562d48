// What `heddle x describe` reasons over: the stored config, the registry's services and workloads, and the
// connected proxies, indexed with the translator's own rules (host resolution, DestinationRule look-up).
import { snapshotFromListing, type ProxyStatus, type WorkloadInstance } from '@heddle/control-plane';
import { buildMeshIndex, type MeshIndex, type MeshService } from '@heddle/translate';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { fetchServices, fetchWorkloads } from './mesh-reads.ts';

export interface MeshModel {
  readonly index: MeshIndex;
  readonly services: readonly MeshService[];
  readonly workloads: readonly WorkloadInstance[];
  readonly proxies: readonly ProxyStatus[];
}

export async function loadMeshModel(client: ControlPlaneClient): Promise<MeshModel> {
  const [listing, services, workloads, proxies] = await Promise.all([
    client.list({}),
    fetchServices(client.url),
    fetchWorkloads(client.url),
    client.proxyStatuses(),
  ]);
  const { snapshot } = snapshotFromListing(listing.items, listing.revision, services);
  return { index: buildMeshIndex(snapshot), services, workloads, proxies };
}
