// The value parser of a repeatable option (`-f a -f b`): each use adds to the list instead of replacing it.

export function appendValue(value: string, previous: readonly string[] | undefined): readonly string[] {
  return [...(previous ?? []), value];
}
