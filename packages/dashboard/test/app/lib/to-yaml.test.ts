import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { toYaml } from '../../../src/app/lib/to-yaml.ts';
import { RESOURCES } from '../../support/fixtures.ts';

describe('JSON to YAML for the config view', () => {
  it('prints a resource in block style', () => {
    const [rule] = RESOURCES.items;
    assert.ok(rule);
    assert.equal(
      toYaml({ kind: rule.kind, spec: rule.spec }),
      [
        'kind: DestinationRule',
        'spec:',
        '  host: product',
        '  subsets:',
        '    - name: v1',
        '      labels:',
        '        version: v1',
        '',
      ].join('\n'),
    );
  });

  it('reads back as the same value with a YAML parser', () => {
    const tricky = {
      strings: [
        'true',
        'no',
        '1.5',
        '0x1F',
        '',
        ' padded ',
        'a: b',
        '#hash',
        'multi\nline',
        '*',
        'plain text',
      ],
      numbers: [0, -1.5, 1e21],
      flags: [true, false, null],
      empty: { list: [], map: {} },
      nested: [[1, 2], [{ a: 1, b: [3] }]],
      'key with: colon': 1,
    };
    assert.deepEqual(parse(toYaml(tricky)), tricky);
    for (const resource of RESOURCES.items) assert.deepEqual(parse(toYaml(resource)), resource);
  });
});
