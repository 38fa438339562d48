// creationTimestamp in Kubernetes' format: RFC 3339 in UTC with whole seconds.

export function toTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
