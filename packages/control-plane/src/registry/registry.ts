// The live service registry: follows the store, holds running workloads' registrations and health, and
// tells listeners when the set of mesh services changes (debouncing is the listener's business).
import type { MeshService } from '@heddle/translate';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { systemClock, type Clock } from '../push/clock.ts';
import type { ChangeEvent, ConfigStore, StoredResource } from '../store/config-store.ts';
import { formatKey, keyOfStored } from '../store/resource-key.ts';
import { buildServices, collectWorkloads, type RegistrySources } from './build-services.ts';
import { registrationFromGroup, type GroupRegistrationOverrides } from './from-workload-group.ts';
import { LeaseTimers, type Lease } from './registration-lease.ts';
import { workloadFromRegistration, type WorkloadRegistration } from './registration.ts';
import type { WorkloadInstance } from './workload.ts';

/** The kinds the registry reads; everything else in the store is ignored. */
const REGISTRY_KINDS = new Set(['ServiceEntry', 'WorkloadEntry', 'WorkloadGroup', 'Service']);

export interface ServiceRegistryOptions {
  /** Kubernetes cluster domain for Service host names; `cluster.local` by default. */
  readonly domainSuffix?: string;
  /** Time for registration leases; the system clock by default. */
  readonly clock?: Clock;
}

export interface RegisterOptions {
  /** Remove the registration this many seconds from now unless `renew` is called; unset: no lease. */
  readonly leaseSeconds?: number;
}

/** Returned by `register`; only the latest registration of a name can deregister it. */
export interface RegistrationHandle {
  readonly id: number;
  readonly name: string;
  readonly namespace: string;
  /** Present when the registration holds a lease and must be renewed within this many seconds. */
  readonly leaseSeconds?: number;
}

export type ServicesListener = (services: readonly MeshService[]) => void;

interface Registration {
  readonly handle: RegistrationHandle;
  readonly registration: WorkloadRegistration;
}

export class ServiceRegistry {
  readonly #store: ConfigStore;
  readonly #domainSuffix: string | undefined;
  readonly #resources = new Map<string, StoredResource>();
  readonly #registrations = new Map<string, Registration>();
  readonly #health = new Map<string, boolean>();
  readonly #listeners = new Set<ServicesListener>();
  readonly #leases: LeaseTimers;
  #services: readonly MeshService[] = [];
  #fingerprint = '[]';
  #revision = 0;
  #nextId = 1;
  #started = false;
  #stopWatching: (() => void) | undefined;

  constructor(store: ConfigStore, options: ServiceRegistryOptions = {}) {
    this.#store = store;
    this.#domainSuffix = options.domainSuffix;
    this.#leases = new LeaseTimers(options.clock ?? systemClock);
  }

  /** Loads the store and follows it. Events that race the initial listing are applied once, in order. */
  async start(): Promise<void> {
    if (this.#started) return;
    const early: ChangeEvent[] = [];
    let loaded = false;
    this.#stopWatching = this.#store.watch((events) => {
      if (loaded) this.#onEvents(events);
      else early.push(...events);
    });
    let listing;
    try {
      listing = await this.#store.list();
    } catch (error) {
      this.#stopWatching();
      this.#stopWatching = undefined;
      throw error;
    }
    for (const resource of listing.items) this.#put(resource);
    this.#revision = listing.revision;
    loaded = true;
    this.#started = true;
    this.#onEvents(early.filter((event) => event.revision > listing.revision));
    this.#rebuild();
  }

  /** Stops following the store and expiring leases; services and registrations stay readable. */
  close(): void {
    this.#leases.clear();
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#listeners.clear();
  }

  /** Sorted by hostname. */
  services(): readonly MeshService[] {
    return this.#services;
  }

  /** WorkloadEntries and registered workloads, with their current health. */
  workloads(): readonly WorkloadInstance[] {
    return collectWorkloads(this.#sources(), { health: this.#health });
  }

  /** The store revision the registry has caught up with. */
  revision(): number {
    return this.#revision;
  }

  onChange(listener: ServicesListener): () => void {
    const entry: ServicesListener = (services) => listener(services);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Registering a name again replaces the earlier registration (a restarted workload). With a lease, the
   * registration is removed when the lease runs out without `renew`, as if deregistered.
   */
  register(registration: WorkloadRegistration, options: RegisterOptions = {}): RegistrationHandle {
    const key = `${registration.namespace}/${registration.name}`;
    const previous = this.#registrations.get(key);
    if (previous) this.#leases.cancel(previous.handle.id);
    const { leaseSeconds } = options;
    const handle: RegistrationHandle = {
      id: this.#nextId++,
      name: registration.name,
      namespace: registration.namespace,
      ...(leaseSeconds !== undefined ? { leaseSeconds } : {}),
    };
    this.#registrations.set(key, { handle, registration });
    this.#health.delete(key);
    if (leaseSeconds !== undefined)
      this.#leases.start(handle.id, leaseSeconds, () => this.deregister(handle));
    this.#rebuild();
    return handle;
  }

  /** Starts the lease over; undefined when the handle is stale, its lease ran out, or it has none. */
  renew(handle: RegistrationHandle): Lease | undefined {
    const key = `${handle.namespace}/${handle.name}`;
    if (this.#registrations.get(key)?.handle.id !== handle.id) return undefined;
    return this.#leases.renew(handle.id);
  }

  /** False when the handle is stale (already deregistered, or replaced by a newer registration). */
  deregister(handle: RegistrationHandle): boolean {
    const key = `${handle.namespace}/${handle.name}`;
    if (this.#registrations.get(key)?.handle.id !== handle.id) return false;
    this.#leases.cancel(handle.id);
    this.#registrations.delete(key);
    this.#health.delete(key);
    this.#rebuild();
    return true;
  }

  /**
   * Marks a registered workload or WorkloadEntry healthy or not; without a namespace, every workload of that
   * name. False when no such workload exists.
   */
  setHealth(name: string, healthy: boolean, namespace?: string): boolean {
    const matches = this.workloads().filter(
      (w) => w.name === name && (namespace === undefined || w.namespace === namespace),
    );
    for (const workload of matches) this.#health.set(`${workload.namespace}/${workload.name}`, healthy);
    if (matches.length > 0) this.#rebuild();
    return matches.length > 0;
  }

  /** Registers a workload from the WorkloadGroup's template, as Istio's auto-registration does. */
  registerFromGroup(
    groupName: string,
    namespace: string,
    address: string,
    overrides: GroupRegistrationOverrides = {},
  ): RegistrationHandle {
    if (!this.#started) {
      throw new ControlPlaneError(
        CONTROL_PLANE_CODES.REGISTRY_NOT_STARTED,
        'the registry has not loaded the store yet; await start() before registering from a WorkloadGroup',
      );
    }
    const group = this.#resources.get(formatKey({ kind: 'WorkloadGroup', namespace, name: groupName }));
    if (!group) {
      throw new ControlPlaneError(
        CONTROL_PLANE_CODES.REGISTRY_GROUP_NOT_FOUND,
        `WorkloadGroup ${namespace}/${groupName} does not exist; apply it before workloads join it`,
        { namespace, name: groupName },
      );
    }
    return this.register(registrationFromGroup(group, address, overrides));
  }

  #onEvents(events: readonly ChangeEvent[]): void {
    let relevant = false;
    for (const event of events) {
      this.#revision = Math.max(this.#revision, event.revision);
      if (!REGISTRY_KINDS.has(event.resource.kind)) continue;
      relevant = true;
      if (event.type === 'put') this.#put(event.resource);
      else this.#remove(event.resource);
    }
    if (relevant) this.#rebuild();
  }

  #put(resource: StoredResource): void {
    if (REGISTRY_KINDS.has(resource.kind)) this.#resources.set(formatKey(keyOfStored(resource)), resource);
  }

  #remove(resource: StoredResource): void {
    this.#resources.delete(formatKey(keyOfStored(resource)));
    if (resource.kind === 'WorkloadEntry')
      this.#health.delete(`${resource.metadata.namespace}/${resource.metadata.name}`);
  }

  #sources(): RegistrySources {
    const byKind = (kind: string) => [...this.#resources.values()].filter((r) => r.kind === kind);
    return {
      serviceEntries: byKind('ServiceEntry'),
      workloadEntries: byKind('WorkloadEntry'),
      services: byKind('Service'),
      registered: [...this.#registrations.values()].map(({ registration }) => {
        const healthy = this.#health.get(`${registration.namespace}/${registration.name}`);
        return workloadFromRegistration(registration, healthy ?? true);
      }),
    };
  }

  #rebuild(): void {
    const services = buildServices(this.#sources(), {
      domainSuffix: this.#domainSuffix,
      health: this.#health,
    });
    // Builders are deterministic, so equal JSON means an equal service set.
    const fingerprint = JSON.stringify(services);
    if (fingerprint === this.#fingerprint) return;
    this.#fingerprint = fingerprint;
    this.#services = services;
    for (const listener of [...this.#listeners]) {
      try {
        listener(services);
      } catch (error) {
        // A failing listener must not stop the others or the caller that changed the registry.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
