// Colors for the sync states in proxy-status output, for a person at a terminal (never into a pipe).
import { styleText } from 'node:util';

const COLOR_OF = { SYNCED: 'green', STALE: 'yellow', NACKED: 'red' } as const;

/** Colors the state words of a formatted table's rows; the header and the column widths stay as they are. */
export function colorStates(table: string): string {
  const [header = '', ...rows] = table.split('\n');
  const colored = rows.map((row) =>
    row.replace(/\b(SYNCED|STALE|NACKED)\b/g, (word) =>
      styleText(COLOR_OF[word as keyof typeof COLOR_OF], word, { validateStream: false }),
    ),
  );
  return [header, ...colored].join('\n');
}

/** Colors a unified diff's removed lines red and added lines green, and the section verdicts. */
export function colorComparison(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++'))
        return styleText('bold', line, { validateStream: false });
      if (line.startsWith('-')) return styleText('red', line, { validateStream: false });
      if (line.startsWith('+')) return styleText('green', line, { validateStream: false });
      if (line.startsWith('@@')) return styleText('cyan', line, { validateStream: false });
      return line.replace(
        / (Match|Don't Match)\b/,
        (_, verdict: string) =>
          ` ${styleText(verdict === 'Match' ? 'green' : 'red', verdict, { validateStream: false })}`,
      );
    })
    .join('\n');
}
