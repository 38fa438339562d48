// The SO_ORIGINAL_DST addon and its loader: absent or broken addons give undefined, the real addon answers for
// real sockets. A connection actually redirected by iptables needs a network namespace: see
// e2e/transparent-capture.test.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ORIGINAL_DST_ADDON_PATH,
  loadOriginalDestinationAddon,
  originalDestinationOf,
  socketFileDescriptor,
  type OriginalDestinationAddon,
} from '../../src/listener/original-destination.ts';

/** One accepted loopback connection: the server side is what listeners see. */
async function acceptedSocket(server: Server): Promise<{ accepted: Socket; client: Socket }> {
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  const client = connect(address.port, '127.0.0.1');
  client.on('error', () => undefined);
  return { accepted: await accepted, client };
}

/** The process warnings emitted while `run` runs (emitWarning delivers them on a later tick). */
async function warningsWhile(run: () => unknown): Promise<Error[]> {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): number => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.removeListener('warning', onWarning);
  }
  return warnings;
}

describe('original destination (SO_ORIGINAL_DST)', { timeout: 20_000 }, () => {
  let server: Server;
  let dir: string;
  const sockets: Socket[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-original-dst-'));
    server = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const pair = async (): Promise<Socket> => {
    const { accepted, client } = await acceptedSocket(server);
    sockets.push(accepted, client);
    return accepted;
  };

  it('loads nothing, silently, when the addon was never built', async () => {
    const warnings = await warningsWhile(() => {
      assert.equal(loadOriginalDestinationAddon(join(dir, 'missing.node')), undefined);
    });
    assert.deepEqual(warnings, []);
  });

  it('answers undefined for every connection when there is no addon', async () => {
    assert.equal(originalDestinationOf(await pair(), undefined), undefined);
  });

  it('warns and loads nothing when the addon file is not a loadable library', async () => {
    const broken = join(dir, 'broken.node');
    await writeFile(broken, 'not an ELF file');
    const seen = await warningsWhile(() => {
      assert.equal(loadOriginalDestinationAddon(broken), undefined);
    });
    assert.equal(seen.length, 1);
    assert.equal((seen[0] as NodeJS.ErrnoException).code, 'HEDDLE_ORIGINAL_DST_ADDON');
    assert.match(seen[0]?.message ?? '', /broken\.node/);
  });

  it('finds the file descriptor of an open socket, and none once it is closed', async () => {
    const socket = await pair();
    const fd = socketFileDescriptor(socket);
    assert.equal(typeof fd, 'number');
    assert.ok((fd ?? -1) > 2);
    socket.destroy();
    assert.equal(socketFileDescriptor(socket), undefined);
    assert.equal(
      originalDestinationOf(socket, { originalDestination: () => assert.fail('no fd') }),
      undefined,
    );
  });

  it('turns an addon failure into undefined, reported once per errno', async () => {
    const socket = await pair();
    const failing: OriginalDestinationAddon = {
      originalDestination: () => {
        throw Object.assign(new Error('getsockopt failed: Test (ETESTONE)'), { code: 'ETESTONE' });
      },
    };
    const seen = await warningsWhile(() => {
      assert.equal(originalDestinationOf(socket, failing), undefined);
      assert.equal(originalDestinationOf(socket, failing), undefined);
    });
    assert.equal(seen.length, 1);
    assert.equal((seen[0] as NodeJS.ErrnoException).code, 'HEDDLE_ORIGINAL_DST_FAILED');
    assert.match(seen[0]?.message ?? '', /ETESTONE/);
  });

  it('unmaps an IPv4 destination seen through a dual-stack socket', async () => {
    const reader: OriginalDestinationAddon = {
      originalDestination: () => ({ address: '::ffff:10.1.2.3', port: 9080, family: 'IPv6' }),
    };
    assert.deepEqual(originalDestinationOf(await pair(), reader), { address: '10.1.2.3', port: 9080 });
  });

  describe('the built addon', () => {
    let addon: OriginalDestinationAddon;

    before(() => {
      assert.ok(
        existsSync(ORIGINAL_DST_ADDON_PATH),
        `${ORIGINAL_DST_ADDON_PATH} is missing: run \`npm run generate -w @heddle/proxy\` (needs cc and Linux)`,
      );
      const loaded = loadOriginalDestinationAddon();
      assert.ok(loaded, 'the built addon did not load');
      addon = loaded;
    });

    it('says a connection that was not redirected went where it arrived (or has no NAT record)', async () => {
      const socket = await pair();
      const fd = socketFileDescriptor(socket);
      assert.ok(fd !== undefined);
      const original = addon.originalDestination(fd);
      // Without conntrack in this namespace the kernel has no record (undefined); with it, the record
      // names the listener's own address.
      if (original !== undefined)
        assert.deepEqual(original, { address: '127.0.0.1', port: socket.localPort, family: 'IPv4' });
      assert.deepEqual(
        originalDestinationOf(socket, addon),
        original && { address: '127.0.0.1', port: socket.localPort },
      );
    });

    it('throws a TypeError for anything but a file descriptor', () => {
      assert.throws(() => addon.originalDestination('3' as unknown as number), {
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
      });
      assert.throws(() => addon.originalDestination(-1), { name: 'TypeError' });
    });

    it('throws with the errno name for a descriptor that is not a socket', async () => {
      const file = await open(join(dir, 'plain.txt'), 'w');
      try {
        assert.throws(() => addon.originalDestination(file.fd), {
          code: 'ENOTSOCK',
          message: new RegExp(`getsockname on fd ${file.fd} failed: .*\\(ENOTSOCK\\)`),
        });
      } finally {
        await file.close();
      }
    });

    it('throws EBADF for a descriptor that is not open', () => {
      assert.throws(() => addon.originalDestination(1_000_000), { code: 'EBADF' });
    });
  });
});
