// Istio's per-endpoint workload metadata (`istio.workload`), which telemetry reads to label the destination.

const CANONICAL_NAME_LABELS = ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app'];
const CANONICAL_REVISION_LABELS = [
  'service.istio.io/canonical-revision',
  'app.kubernetes.io/version',
  'version',
];

function firstLabel(labels: Readonly<Record<string, string>>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = labels[key];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/**
 * `<workload>;<namespace>;<canonical service>;<canonical revision>;<cluster>` as Istio writes it; Heddle has
 * no cluster id, so the last field stays empty.
 */
export function workloadMetadata(
  workloadName: string,
  namespace: string,
  labels: Readonly<Record<string, string>>,
): string {
  const service = firstLabel(labels, CANONICAL_NAME_LABELS) ?? workloadName;
  const revision = firstLabel(labels, CANONICAL_REVISION_LABELS) ?? 'latest';
  return `${workloadName};${namespace};${service};${revision};`;
}
