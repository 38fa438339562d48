// Reads the sample lines of a Prometheus text exposition (format 0.0.4) whose metric name is wanted; comments,
// other families and malformed lines are skipped, since one odd line must not hide a proxy's traffic.

export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** The name and label text as written: identifies the series within one exposition. */
  readonly series: string;
}

export function parsePrometheusSamples(text: string, wanted: (name: string) => boolean): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseSampleLine(line, wanted);
    if (sample) samples.push(sample);
  }
  return samples;
}

/** One `name{labels} value [timestamp]` line; undefined when unwanted or malformed. */
export function parseSampleLine(
  line: string,
  wanted: (name: string) => boolean = () => true,
): PrometheusSample | undefined {
  const nameEnd = firstOf(line, '{', ' ', '\t');
  const name = line.slice(0, nameEnd);
  if (name === '' || !wanted(name)) return undefined;
  let labels: Record<string, string> = {};
  let rest = nameEnd;
  if (line[nameEnd] === '{') {
    const parsed = parseLabels(line, nameEnd + 1);
    if (!parsed) return undefined;
    labels = parsed.labels;
    rest = parsed.end;
  }
  const fields = line.slice(rest).trim().split(/\s+/);
  const valueText = fields[0];
  if (valueText === undefined || valueText === '' || fields.length > 2) return undefined;
  const value = parseValue(valueText);
  if (value === undefined) return undefined;
  return { name, labels, value, series: line.slice(0, rest) };
}

function firstOf(line: string, ...chars: string[]): number {
  let best = line.length;
  for (const char of chars) {
    const at = line.indexOf(char);
    if (at !== -1 && at < best) best = at;
  }
  return best;
}

/** From just after `{` to just after `}`. */
function parseLabels(
  line: string,
  from: number,
): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let i = from;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const eq = line.indexOf('=', i);
    if (eq === -1 || line[eq + 1] !== '"') return undefined;
    const label = line.slice(i, eq).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) return undefined;
    let value = '';
    i = eq + 2;
    for (;;) {
      const char = line[i];
      if (char === undefined) return undefined;
      if (char === '"') break;
      if (char === '\\') {
        const next = line[i + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        i += 2;
        continue;
      }
      value += char;
      i++;
    }
    labels[label] = value;
    i++;
  }
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}
