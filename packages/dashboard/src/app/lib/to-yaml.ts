// A small JSON → YAML printer for showing a stored resource the way it was written (block style, 2 spaces).
// Stored resources are plain JSON, so only objects, arrays, strings, numbers, booleans and null occur.

export function toYaml(value: unknown): string {
  return `${lines(value, 0).join('\n')}\n`;
}

function lines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item: unknown) => {
      if (isBlock(item)) {
        const [first = '', ...rest] = lines(item, indent + 2);
        return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) =>
      isBlock(item)
        ? [`${pad}${scalar(key)}:`, ...lines(item, indent + 2)]
        : [`${pad}${scalar(key)}: ${scalar(item)}`],
    );
  }
  return [`${pad}${scalar(value)}`];
}

/** Non-empty objects and arrays go on their own lines; empty ones print inline as `{}` / `[]`. */
function isBlock(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return isObject(value) && Object.keys(value).length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/;
/** Strings YAML would read as something else (booleans, null, numbers). */
const AMBIGUOUS =
  /^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  if (typeof value === 'string') {
    if (PLAIN.test(value) && !AMBIGUOUS.test(value) && !value.endsWith(' ')) return value;
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  // Functions and symbols do not survive JSON either.
  return 'null';
}
