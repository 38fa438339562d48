// Small builders for registry tests: workloads and stored-looking objects without a store.
import type { ConfigObject, WorkloadInstance } from '../../src/index.ts';

export function workload(
  overrides: Partial<WorkloadInstance> & Pick<WorkloadInstance, 'name' | 'address'>,
): WorkloadInstance {
  return {
    namespace: 'default',
    ports: {},
    labels: {},
    serviceAccount: 'default',
    healthy: true,
    tlsMode: 'istio',
    origin: 'registered',
    ...overrides,
  };
}

export function object(
  name: string,
  spec: unknown,
  namespace = 'default',
  annotations?: Record<string, string>,
): ConfigObject {
  return { metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec };
}
