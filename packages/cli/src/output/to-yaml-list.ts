// Writes a list of flat string maps as YAML. Every value is a JSON string literal, which YAML reads as a
// double-quoted scalar, so no value can be mistaken for a number, a boolean or YAML syntax.

export function toYamlList(entries: readonly Readonly<Record<string, string | undefined>>[]): string {
  if (entries.length === 0) return '[]\n';
  const lines: string[] = [];
  for (const entry of entries) {
    let first = true;
    for (const [key, value] of Object.entries(entry)) {
      if (value === undefined) continue;
      lines.push(`${first ? '- ' : '  '}${key}: ${JSON.stringify(value)}`);
      first = false;
    }
  }
  return `${lines.join('\n')}\n`;
}
