// Joins the proxy's Prometheus text and the application's into one exposition that still parses: every
// metric family appears once, so when the application exposes a family the proxy also has (same name, or a
// sample name that collides with one of the proxy's, like a histogram's `_bucket`), the application's
// family is dropped whole and counted rather than served as a second `# TYPE` of the same name.

export interface MergedExposition {
  readonly text: string;
  /** Sample lines of the application dropped: colliding families, and lines that are not samples. */
  readonly droppedSamples: number;
  /** The application's families dropped because the proxy has them. */
  readonly droppedFamilies: readonly string[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
/** A sample: name, optional `{labels}`, a value, an optional timestamp. */
const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?[ \t]+\S+([ \t]+\S+)?[ \t]*$/;
const DESCRIPTOR_LINE = /^#[ \t]+(TYPE|HELP)[ \t]+([a-zA-Z_:][a-zA-Z0-9_:]*)/;

/** Sample-name suffixes each metric type adds to its family name. */
const TYPE_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
};

interface ParsedLine {
  readonly line: string;
  /** Undefined for free comments and blank lines, which belong to no family. */
  readonly family?: string;
  readonly name?: string;
  readonly sample: boolean;
  readonly valid: boolean;
}

/** Every family and sample name in an exposition: what another exposition must not reuse. */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const descriptor = DESCRIPTOR_LINE.exec(line);
    if (descriptor?.[2] !== undefined) names.add(descriptor[2]);
    else if (!line.startsWith('#')) {
      const name = METRIC_NAME.exec(line)?.[0];
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

export function mergeExpositions(proxyText: string, appText: string): MergedExposition {
  const taken = exposedNames(proxyText);
  const lines = parseApp(appText);
  const conflicting = new Set<string>();
  for (const parsed of lines) {
    if (parsed.family === undefined) continue;
    if (taken.has(parsed.family) || (parsed.name !== undefined && taken.has(parsed.name)))
      conflicting.add(parsed.family);
  }
  const kept: string[] = [];
  let droppedSamples = 0;
  const typed = new Set<string>();
  for (const parsed of lines) {
    const repeatedType =
      parsed.family !== undefined && /^#[ \t]+TYPE/.test(parsed.line) && typed.has(parsed.family);
    if (parsed.family !== undefined && /^#[ \t]+TYPE/.test(parsed.line)) typed.add(parsed.family);
    const drop =
      !parsed.valid || repeatedType || (parsed.family !== undefined && conflicting.has(parsed.family));
    if (drop) {
      if (parsed.sample || !parsed.valid) droppedSamples += 1;
      continue;
    }
    kept.push(parsed.line);
  }
  const head = proxyText === '' || proxyText.endsWith('\n') ? proxyText : `${proxyText}\n`;
  const tail = kept.length === 0 ? '' : `${kept.join('\n')}\n`;
  return { text: head + tail, droppedSamples, droppedFamilies: [...conflicting].sort() };
}

function parseApp(appText: string): ParsedLine[] {
  const raw = appText.split('\n').map((line) => line.replace(/\r$/, ''));
  const types = new Map<string, string>();
  for (const line of raw) {
    const match = /^#[ \t]+TYPE[ \t]+([a-zA-Z_:][a-zA-Z0-9_:]*)[ \t]+(\S+)/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined && !types.has(match[1]))
      types.set(match[1], match[2].toLowerCase());
  }
  const familyOf = (name: string): string => {
    if (types.has(name)) return name;
    for (const [family, type] of types)
      if (name.startsWith(family) && (TYPE_SUFFIXES[type] ?? []).includes(name.slice(family.length)))
        return family;
    return name;
  };
  return raw.flatMap((line): ParsedLine[] => {
    if (line.trim() === '') return [];
    // OpenMetrics' end marker would end the exposition early for a parser reading the merged text.
    if (line.trim() === '# EOF') return [];
    if (line.startsWith('#')) {
      const descriptor = DESCRIPTOR_LINE.exec(line);
      const family = descriptor?.[2];
      return [{ line, ...(family !== undefined ? { family } : {}), sample: false, valid: true }];
    }
    const name = METRIC_NAME.exec(line)?.[0];
    if (name === undefined || !SAMPLE_LINE.test(line)) return [{ line, sample: true, valid: false }];
    return [{ line, family: familyOf(name), name, sample: true, valid: true }];
  });
}
