// A bug inside the CLI surfaces as one line asking for a report and exit 70; the stack only on request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CliIo } from '../src/cli-io.ts';
import { main } from '../src/main.ts';

function brokenStdoutIo(env: Record<string, string>): { io: CliIo; stderr: () => string } {
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: () => {
        throw new Error('stdout exploded');
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: (async function* () {})(),
    env,
  };
  return { io, stderr: () => stderr };
}

describe('heddle: internal errors', () => {
  it('exits 70 with a one-line message and no stack trace', async () => {
    const { io, stderr } = brokenStdoutIo({});
    const code = await main(['validate', 'examples/'], io);
    assert.equal(code, 70);
    assert.equal(stderr(), 'heddle: internal error: stdout exploded (please report)\n');
  });

  it('adds the stack trace when HEDDLE_DEBUG=1', async () => {
    const { io, stderr } = brokenStdoutIo({ HEDDLE_DEBUG: '1' });
    assert.equal(await main(['validate', 'examples/'], io), 70);
    assert.match(
      stderr(),
      /^heddle: internal error: stdout exploded \(please report\)\nError: stdout exploded\n\s+at /,
    );
  });
});
