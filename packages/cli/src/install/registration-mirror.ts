// Workloads register with heddle up's control plane (as pods register with one Kubernetes API that every
// istiod revision watches). A revision's control plane mirrors those registrations into its own registry,
// so its proxies see every workload whichever revision serves the workload's own sidecar.
import type { RegistrationHandle, ServiceRegistry, WorkloadInstance } from '@heddle/control-plane';

export interface RegistrationMirror {
  /** Fetches the primary's registrations now and applies the difference. */
  sync(): Promise<void>;
  stop(): void;
}

interface Mirrored {
  readonly fingerprint: string;
  readonly handle: RegistrationHandle;
  healthy: boolean;
}

export function mirrorRegistrations(
  primaryUrl: string,
  registry: ServiceRegistry,
  intervalMs = 250,
): RegistrationMirror {
  const mirrored = new Map<string, Mirrored>();
  let running: Promise<void> | undefined;

  const apply = (workloads: readonly WorkloadInstance[]): void => {
    const current = new Set<string>();
    for (const workload of workloads.filter((entry) => entry.origin === 'registered')) {
      const key = `${workload.namespace}/${workload.name}`;
      current.add(key);
      const registration = {
        name: workload.name,
        namespace: workload.namespace,
        address: workload.address,
        ports: workload.ports,
        labels: workload.labels,
        serviceAccount: workload.serviceAccount,
        ...(workload.locality !== undefined ? { locality: formatLocality(workload.locality) } : {}),
        ...(workload.network !== undefined ? { network: workload.network } : {}),
        ...(workload.weight !== undefined ? { weight: workload.weight } : {}),
      };
      const fingerprint = JSON.stringify(registration);
      let entry = mirrored.get(key);
      if (entry?.fingerprint !== fingerprint) {
        entry = { fingerprint, handle: registry.register(registration), healthy: true };
        mirrored.set(key, entry);
      }
      if (entry.healthy !== workload.healthy) {
        registry.setHealth(workload.name, workload.healthy, workload.namespace);
        entry.healthy = workload.healthy;
      }
    }
    for (const [key, entry] of mirrored) {
      if (current.has(key)) continue;
      registry.deregister(entry.handle);
      mirrored.delete(key);
    }
  };

  const fetchOnce = async (): Promise<void> => {
    const response = await fetch(`${primaryUrl}/apis/v1/workloads`, { signal: AbortSignal.timeout(5_000) });
    if (response.status !== 200) return;
    apply((await response.json()) as WorkloadInstance[]);
  };
  const sync = (): Promise<void> => {
    running ??= fetchOnce()
      .catch(() => undefined)
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void sync(), intervalMs);
  timer.unref();
  return { sync, stop: () => clearInterval(timer) };
}

function formatLocality(locality: WorkloadInstance['locality']): string | undefined {
  if (locality === undefined) return undefined;
  const parts = locality as unknown as { region?: string; zone?: string; subzone?: string };
  return [parts.region ?? '', parts.zone ?? '', parts.subzone ?? ''].join('/').replace(/\/+$/, '');
}
