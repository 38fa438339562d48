// Field paths: the segments used to walk a resource, and the dotted form users read (`spec.http[0].timeout`).

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
