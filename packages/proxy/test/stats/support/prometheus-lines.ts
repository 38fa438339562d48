// Checks Prometheus text exposition line by line: one TYPE per family, every sample `name{labels} value`.
import assert from 'node:assert/strict';

/** One sample line: `name{labels} value`, labels optional, values as Prometheus reads them. */
export const SAMPLE_LINE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? -?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|\+Inf|-Inf)$/;

export function assertValidExposition(text: string): void {
  const families = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , family, type] = line.split(' ');
      assert.ok(family && !families.has(family), `family ${family} declared once`);
      assert.match(type ?? '', /^(counter|gauge|histogram)$/);
      families.add(family);
      continue;
    }
    assert.match(line, SAMPLE_LINE);
  }
}
