// Test doubles around the listener manager: in-memory stats, a TCP cluster view over loopback ports, secrets.
import { connect, type Socket } from 'node:net';
import type { Counter, Gauge, StatsSink } from '../../../src/stats/stats-sink.ts';
import type {
  AttemptOutcome,
  ClusterManagerView,
  ClusterView,
  UpstreamHost,
} from '../../../src/upstream/cluster-view.ts';
import type {
  SecretProvider,
  TlsCertificateMaterial,
  ValidationMaterial,
} from '../../../src/upstream/secret-provider.ts';

export class MemoryStats implements StatsSink {
  readonly #values = new Map<string, { value: number }>();

  counter(name: string): Counter {
    const cell = this.#cell(name);
    return {
      inc: (by = 1) => void (cell.value += by),
      get value() {
        return cell.value;
      },
    };
  }

  gauge(name: string): Gauge {
    const cell = this.#cell(name);
    return {
      set: (value) => void (cell.value = value),
      add: (delta) => void (cell.value += delta),
      get value() {
        return cell.value;
      },
    };
  }

  value(name: string): number {
    return this.#values.get(name)?.value ?? 0;
  }

  #cell(name: string): { value: number } {
    let cell = this.#values.get(name);
    if (!cell) this.#values.set(name, (cell = { value: 0 }));
    return cell;
  }
}

export interface TcpClusters extends ClusterManagerView {
  readonly outcomes: { cluster: string; host: string; outcome: AttemptOutcome }[];
  /** Replaces a cluster's hosts (loopback ports); an empty list means no healthy host. */
  set(name: string, ports: readonly number[]): void;
}

/** Hosts are tried in order, skipping those the session already tried. */
export function tcpClusters(definitions: Record<string, readonly number[]>): TcpClusters {
  const hosts = new Map<string, UpstreamHost[]>();
  const outcomes: TcpClusters['outcomes'] = [];
  const set = (name: string, ports: readonly number[]): void =>
    void hosts.set(
      name,
      ports.map((port) => ({ id: `127.0.0.1:${port}`, address: '127.0.0.1', port, metadata: {} })),
    );
  for (const [name, ports] of Object.entries(definitions)) set(name, ports);
  const view = (name: string): ClusterView => ({
    name,
    selectHost: (context) => (hosts.get(name) ?? []).find((host) => !context.exclude?.has(host.id)),
    admitRequest: () => ({ release: () => undefined }),
    admitRetry: () => ({ release: () => undefined }),
    sendHttp: () => {
      throw new Error('not an HTTP cluster');
    },
    connect: (host) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: host.address, port: host.port, allowHalfOpen: true });
        socket.once('connect', () => {
          socket.removeListener('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      }),
    recordOutcome: (host, outcome) => void outcomes.push({ cluster: name, host: host.id, outcome }),
  });
  return { cluster: (name) => (hosts.has(name) ? view(name) : undefined), outcomes, set };
}

/** SDS stand-in: named secrets set by the test, with change notification. */
export class TestSecrets implements SecretProvider {
  readonly #certificates = new Map<string, TlsCertificateMaterial>();
  readonly #validation = new Map<string, ValidationMaterial>();
  readonly #listeners = new Set<() => void>();

  certificate(name: string): TlsCertificateMaterial | undefined {
    return this.#certificates.get(name);
  }
  validation(name: string): ValidationMaterial | undefined {
    return this.#validation.get(name);
  }
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  setCertificate(name: string, material: TlsCertificateMaterial): void {
    this.#certificates.set(name, material);
    for (const listener of this.#listeners) listener();
  }
  setValidation(name: string, material: ValidationMaterial): void {
    this.#validation.set(name, material);
    for (const listener of this.#listeners) listener();
  }
}
