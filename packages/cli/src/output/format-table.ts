// Left-aligned columns separated by three spaces, as kubectl and istioctl print tables; no trailing blanks.

export type TableRow = readonly string[];

export function formatTable(header: TableRow, rows: readonly TableRow[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const lines = all.map((row) =>
    header
      .map((_, column) => {
        const cell = row[column] ?? '';
        return column === header.length - 1 ? cell : cell.padEnd(widths[column] ?? 0);
      })
      .join('   ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
