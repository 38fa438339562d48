// One upstream host of a cluster: its address and EDS attributes, live request/connection counts, outlier
// state and connection pools. Kept across EDS updates while its address stays, so counters and pools survive.
import type { UpstreamHost } from '../cluster-view.ts';
import { type EdsHealth, type EndpointSpec, isAvailable } from '../config/endpoint-spec.ts';
import { HostOutlierState } from '../outlier/host-outlier-state.ts';

/** What a host owns that must be closed when it leaves (its connection pools). */
export interface HostResources {
  /** Closes once in-flight work is done. */
  close(): void;
  /** Closes now, failing in-flight work. */
  destroy(): void;
}

export class Host implements UpstreamHost {
  readonly id: string;
  readonly address: string;
  readonly port: number;
  readonly pipe: boolean;
  locality: string;
  metadata: Readonly<Record<string, string>>;
  hostname: string;
  weight: number;
  priority: number;
  localityWeight: number;
  edsHealth: EdsHealth;
  socketMatch: Readonly<Record<string, string>>;
  /** Set when the host joined after the cluster's first membership: it may warm up (slow start). */
  readonly addedAt: number | undefined;
  rqActive = 0;
  rqTotal = 0;
  rqError = 0;
  cxActive = 0;
  cxTotal = 0;
  readonly outlier = new HostOutlierState();
  resources: HostResources | undefined;
  /** Removed from its cluster; closes its pools when its last request ends. */
  retired = false;

  constructor(id: string, spec: EndpointSpec, addedAt: number | undefined) {
    this.id = id;
    this.address = spec.address;
    this.port = spec.port;
    this.pipe = spec.pipe;
    this.locality = spec.locality;
    this.metadata = spec.metadata;
    this.hostname = spec.hostname;
    this.weight = spec.weight;
    this.priority = spec.priority;
    this.localityWeight = spec.localityWeight;
    this.edsHealth = spec.health;
    this.socketMatch = spec.socketMatch;
    this.addedAt = addedAt;
  }

  /** Healthy as far as the load balancer is concerned: EDS says so and outlier detection has not ejected it. */
  get available(): boolean {
    return isAvailable(this.edsHealth) && !this.outlier.ejected;
  }

  /** Takes the new EDS attributes; true when anything the load balancer uses changed. */
  update(spec: EndpointSpec): boolean {
    const changed =
      this.weight !== spec.weight ||
      this.priority !== spec.priority ||
      this.locality !== spec.locality ||
      this.localityWeight !== spec.localityWeight ||
      this.edsHealth !== spec.health ||
      this.hostname !== spec.hostname;
    this.locality = spec.locality;
    this.metadata = spec.metadata;
    this.hostname = spec.hostname;
    this.weight = spec.weight;
    this.priority = spec.priority;
    this.localityWeight = spec.localityWeight;
    this.edsHealth = spec.health;
    this.socketMatch = spec.socketMatch;
    return changed;
  }

  retire(): void {
    this.retired = true;
    if (this.rqActive === 0) this.#release();
  }

  /** Called when a request on this host ends. */
  requestDone(): void {
    this.rqActive--;
    if (this.retired && this.rqActive === 0) this.#release();
  }

  /** Closes the pools gracefully; a late request on a retired host gets fresh ones, closed after it. */
  #release(): void {
    const resources = this.resources;
    this.resources = undefined;
    resources?.close();
  }
}
