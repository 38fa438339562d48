// Correctness at scale: 5,000 varied valid resources in one file validate cleanly and are all counted.
// Time is measured by bench/validate-5000.ts and reported in docs/PERFORMANCE.md, never asserted here.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_KINDS, generateResources } from './helpers/generate-resources.ts';
import { runCli } from './helpers/run-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';

const COUNT = 5_000;

describe('heddle validate: 5,000 resources', () => {
  it(
    'validates them all cleanly, with every kind represented and every resource counted',
    { timeout: 180_000 },
    async (t) => {
      const file = join(await tempDir(t), 'mesh.yaml');
      const text = generateResources(COUNT);
      for (const kind of GENERATED_KINDS) {
        const occurrences = text.match(new RegExp(`^kind: ${kind}$`, 'gm'))?.length ?? 0;
        assert.ok(
          occurrences >= Math.floor(COUNT / GENERATED_KINDS.length),
          `${kind} appears ${occurrences} times`,
        );
      }
      await writeFile(file, text);
      const result = await runCli(['validate', '-f', file, '--failure-threshold', 'Warning'], {
        timeoutMs: 170_000,
      });
      assert.equal(result.code, 0, result.stdout.split('\n').slice(0, 20).join('\n'));
      assert.equal(result.stdout, `1 file, ${COUNT} resources: 0 errors, 0 warnings, 0 info\n`);
    },
  );
});
