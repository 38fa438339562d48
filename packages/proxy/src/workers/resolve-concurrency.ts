// How many worker processes a `concurrency` setting means: 0 is one per CPU (Envoy's and Istio's meaning).
import { availableParallelism } from 'node:os';

export function resolveConcurrency(concurrency: number): number {
  return concurrency === 0 ? availableParallelism() : concurrency;
}
