// The YAML writer behind -o yaml: whatever a value holds, reading the YAML back gives the same strings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocuments } from '@heddle/api';
import { toYamlList } from '../src/output/to-yaml-list.ts';

function readBack(yaml: string): unknown {
  const parsed = parseDocuments('out.yaml', yaml);
  assert.deepEqual(parsed.findings, []);
  return parsed.documents[0]?.value;
}

describe('toYamlList', () => {
  it('writes an empty list as []', () => {
    assert.equal(toYamlList([]), '[]\n');
    assert.deepEqual(readBack(toYamlList([])), []);
  });

  it('keeps values YAML would otherwise read as other types or as syntax', () => {
    const tricky = [
      'yes',
      'no',
      'null',
      '~',
      '007',
      '1e3',
      '- item',
      ': colon',
      '# comment',
      '"quoted"',
      "'single'",
      'tab\there',
      'two\nlines',
      'back\\slash',
      '{ flow: map }',
      '[flow]',
      '&anchor',
      '*alias',
      '!tag',
      '%directive',
      '@at',
      '`tick`',
      '',
      ' padded ',
      'ünïcødé ✓',
      '---',
      '...',
    ];
    const entries = tricky.map((value, index) => ({ code: `C${index}`, message: value }));
    assert.deepEqual(readBack(toYamlList(entries)), entries);
  });

  it('leaves out keys whose value is undefined', () => {
    assert.equal(
      toYamlList([{ code: 'A', field: undefined, message: 'm' }]),
      '- code: "A"\n  message: "m"\n',
    );
  });
});
