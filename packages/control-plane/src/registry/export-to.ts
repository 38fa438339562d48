// Who may see a service: Istio's exportTo values with "." resolved to the service's own namespace.

/**
 * Empty means Istio's default, every namespace (`*`). `.` becomes the namespace itself so consumers compare
 * names only; `~` (exported to no one) yields an empty list.
 */
export function normalizeExportTo(values: readonly string[], namespace: string): readonly string[] {
  if (values.length === 0) return ['*'];
  if (values.includes('~')) return [];
  return [...new Set(values.map((value) => (value === '.' ? namespace : value)))].sort();
}

/** Kubernetes Services say it with an annotation: a comma-separated exportTo list. */
export const EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

export function exportToFromAnnotation(annotations: Readonly<Record<string, string>> | undefined): string[] {
  const value = annotations?.[EXPORT_TO_ANNOTATION];
  return value === undefined
    ? []
    : value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
}
