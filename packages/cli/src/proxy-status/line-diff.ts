// A unified diff of two texts (`diff -u` shape, three lines of context), for `heddle proxy-status <proxy>`.

type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** Above this many cells the middle is shown as replaced whole instead of aligned line by line. */
const MAX_TABLE_CELLS = 4_000_000;
const CONTEXT = 3;

/** '' when the texts are equal; otherwise `--- from`, `+++ to` and the hunks. */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }): string {
  if (before === after) return '';
  const edits = lineEdits(before.split('\n'), after.split('\n'));
  const hunks = toHunks(edits);
  return `--- ${labels.from}\n+++ ${labels.to}\n${hunks.join('')}`;
}

function lineEdits(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines: readonly string[]): Edit[] => lines.map((line) => ({ op: ' ', line }));
  return [
    ...same(a.slice(0, start)),
    ...middleEdits(a.slice(start, endA), b.slice(start, endB)),
    ...same(a.slice(endA)),
  ];
}

/** Longest common subsequence by dynamic programming over the part that differs. */
function middleEdits(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_TABLE_CELLS) {
    return [
      ...a.map((line) => ({ op: '-' as const, line })),
      ...b.map((line) => ({ op: '+' as const, line })),
    ];
  }
  // lengths[i][j]: the LCS of a[i..] and b[j..], one flat row-major table.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const cell = (i: number, j: number): number => lengths[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j] ? cell(i + 1, j + 1) + 1 : Math.max(cell(i + 1, j), cell(i, j + 1));
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      edits.push({ op: ' ', line: a[i] as string });
      i++;
      j++;
    } else if (j < m && (i === n || cell(i, j + 1) >= cell(i + 1, j))) {
      edits.push({ op: '+', line: b[j] as string });
      j++;
    } else {
      edits.push({ op: '-', line: a[i] as string });
      i++;
    }
  }
  // Removals before additions within a run of changes, as diff -u prints them.
  return reorderRuns(edits);
}

function reorderRuns(edits: readonly Edit[]): Edit[] {
  const out: Edit[] = [];
  let run: Edit[] = [];
  const flush = (): void => {
    out.push(...run.filter((e) => e.op === '-'), ...run.filter((e) => e.op === '+'));
    run = [];
  };
  for (const edit of edits) {
    if (edit.op === ' ') {
      flush();
      out.push(edit);
    } else run.push(edit);
  }
  flush();
  return out;
}

function toHunks(edits: readonly Edit[]): string[] {
  const changed = edits.flatMap((edit, index) => (edit.op === ' ' ? [] : [index]));
  const hunks: string[] = [];
  let first = 0;
  while (first < changed.length) {
    // A hunk grows while the next change is within two contexts of the last one.
    let last = first;
    while (
      last + 1 < changed.length &&
      (changed[last + 1] as number) - (changed[last] as number) <= 2 * CONTEXT + 1
    )
      last++;
    const from = Math.max(0, (changed[first] as number) - CONTEXT);
    const to = Math.min(edits.length, (changed[last] as number) + CONTEXT + 1);
    hunks.push(hunk(edits, from, to));
    first = last + 1;
  }
  return hunks;
}

function hunk(edits: readonly Edit[], from: number, to: number): string {
  let lineA = 1;
  let lineB = 1;
  for (const edit of edits.slice(0, from)) {
    if (edit.op !== '+') lineA++;
    if (edit.op !== '-') lineB++;
  }
  const body = edits.slice(from, to);
  const countA = body.filter((edit) => edit.op !== '+').length;
  const countB = body.filter((edit) => edit.op !== '-').length;
  const range = (line: number, count: number): string =>
    count === 1 ? `${line}` : `${count === 0 ? line - 1 : line},${count}`;
  const lines = body.map((edit) => `${edit.op}${edit.line}\n`).join('');
  return `@@ -${range(lineA, countA)} +${range(lineB, countB)} @@\n${lines}`;
}
