// The one error type of cluster compilation: thrown deep in a compiler, caught by prepare() and turned into
// the NACK's error_detail, always naming the cluster (or load assignment) and the field.

export class ClusterConfigError extends Error {
  override readonly name = 'ClusterConfigError';
}

export function unsupported(resource: string, field: string, detail: string): ClusterConfigError {
  return new ClusterConfigError(`${resource}: ${field}: ${detail}`);
}
