// The ClientHello reader: SNI and ALPN from real and hand-built hellos, at every fragmentation, and refusal
// (not thrown) of malformed, oversized and non-TLS input.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { connect } from 'node:tls';
import { describe, it } from 'node:test';
import { parseClientHello, type ClientHelloResult } from '../../src/listener/tls-client-hello.ts';

function u16(n: number): number[] {
  return [n >> 8, n & 0xff];
}

interface HelloSpec {
  readonly sni?: string | Uint8Array;
  readonly alpn?: readonly string[];
  readonly extensions?: number[][];
  readonly handshakeType?: number;
}

/** A minimal but well-formed ClientHello in one record. */
function buildHello(spec: HelloSpec = {}): Buffer {
  const extensions: number[] = [];
  if (spec.sni !== undefined) {
    const name = typeof spec.sni === 'string' ? [...Buffer.from(spec.sni)] : [...spec.sni];
    const entry = [0, ...u16(name.length), ...name];
    const list = [...u16(entry.length), ...entry];
    extensions.push(...u16(0), ...u16(list.length), ...list);
  }
  if (spec.alpn) {
    const entries = spec.alpn.flatMap((p) => [p.length, ...Buffer.from(p)]);
    const list = [...u16(entries.length), ...entries];
    extensions.push(...u16(16), ...u16(list.length), ...list);
  }
  for (const raw of spec.extensions ?? []) extensions.push(...raw);
  const body = [
    3,
    3,
    ...new Array<number>(32).fill(7),
    0,
    ...u16(2),
    0x13,
    0x01,
    1,
    0,
    ...u16(extensions.length),
    ...extensions,
  ];
  const handshake = [spec.handshakeType ?? 1, 0, ...u16(body.length), ...body];
  return Buffer.from([0x16, 3, 1, ...u16(handshake.length), ...handshake]);
}

/** Re-frames a single-record hello into records of at most `size` payload bytes. */
function refragment(hello: Buffer, size: number): Buffer {
  const payload = hello.subarray(5);
  const records: Buffer[] = [];
  for (let at = 0; at < payload.length; at += size) {
    const part = payload.subarray(at, at + size);
    records.push(Buffer.from([0x16, 3, 1, ...u16(part.length)]), part);
  }
  return Buffer.concat(records);
}

/** What Node's own TLS client sends first. */
async function realHello(servername: string, ALPNProtocols: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        const all = Buffer.concat(chunks);
        if (parseClientHello(all).kind !== 'need-more') {
          socket.destroy();
          server.close();
          resolve(all);
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const client = connect({
        port: (server.address() as { port: number }).port,
        host: '127.0.0.1',
        servername,
        ALPNProtocols,
      });
      client.on('error', () => undefined);
      client.on('close', () => client.destroy());
    });
    server.on('error', reject);
  });
}

const hello = (result: ClientHelloResult): Extract<ClientHelloResult, { kind: 'client-hello' }> => {
  if (result.kind !== 'client-hello') assert.fail(`expected a ClientHello, got ${JSON.stringify(result)}`);
  return result;
};

describe('TLS ClientHello reader', { timeout: 10_000 }, () => {
  it('reads SNI (lower-cased) and ALPN from a real client', async () => {
    const bytes = await realHello('API.Example.test', ['h2', 'http/1.1']);
    assert.deepEqual(hello(parseClientHello(bytes)), {
      kind: 'client-hello',
      serverName: 'api.example.test',
      alpn: ['h2', 'http/1.1'],
    });
  });

  it('asks for more at every TCP split point, never deciding early', async () => {
    const bytes = await realHello('a.test', ['h2']);
    for (let i = 1; i < bytes.length; i++) {
      const partial = parseClientHello(bytes.subarray(0, i));
      assert.equal(partial.kind, 'need-more', `at ${i}`);
      assert.ok(
        partial.kind === 'need-more' && partial.needBytes > i && partial.needBytes <= bytes.length,
        `at ${i}`,
      );
    }
    assert.equal(hello(parseClientHello(bytes)).serverName, 'a.test');
  });

  it('reassembles a hello spread over several TLS records', () => {
    const bytes = refragment(buildHello({ sni: 'frag.test', alpn: ['h2'] }), 20);
    assert.deepEqual(hello(parseClientHello(bytes)), {
      kind: 'client-hello',
      serverName: 'frag.test',
      alpn: ['h2'],
    });
  });

  it('refuses a hello split into absurdly many records', () => {
    assert.equal(
      parseClientHello(refragment(buildHello({ sni: 'x.test', alpn: ['h2'] }), 1)).kind,
      'malformed',
    );
  });

  it('accepts a hello without extensions', () => {
    assert.deepEqual(hello(parseClientHello(buildHello())), {
      kind: 'client-hello',
      serverName: undefined,
      alpn: [],
    });
  });

  it('says not-tls for plaintext and SSLv2-style hellos, from the first bytes', () => {
    assert.equal(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n')).kind, 'not-tls');
    assert.equal(parseClientHello(Buffer.from('P')).kind, 'not-tls');
    assert.equal(parseClientHello(Buffer.from([0x80, 0x2e, 0x01])).kind, 'not-tls');
    assert.equal(parseClientHello(Buffer.from([0x16, 0x02])).kind, 'not-tls');
  });

  it('calls a broken hello malformed instead of throwing', () => {
    const good = buildHello({ sni: 'a.test' });
    assert.equal(parseClientHello(buildHello({ sni: 'a.test', handshakeType: 2 })).kind, 'malformed');
    const sniAgain = [...u16(0), ...u16(5), ...u16(3), 0, ...u16(0)];
    assert.equal(parseClientHello(buildHello({ sni: 'a.test', extensions: [sniAgain] })).kind, 'malformed');
    assert.equal(parseClientHello(buildHello({ sni: new Uint8Array([0x61, 0x00, 0x62]) })).kind, 'malformed');
    assert.equal(parseClientHello(buildHello({ alpn: [''] })).kind, 'malformed');
    const badExtensionLength = Buffer.from(good);
    badExtensionLength.writeUInt16BE(0xffff, good.length - 2 - 4 - 'a.test'.length - 3 - 2);
    assert.equal(parseClientHello(badExtensionLength).kind, 'malformed');
    const truncatedBody = Buffer.concat([
      Buffer.from([0x16, 3, 1, 0, 8, 1, 0, 0, 4]),
      Buffer.from([3, 3, 0, 0]),
    ]);
    assert.equal(parseClientHello(truncatedBody).kind, 'malformed');
    const garbage = Buffer.concat([Buffer.from([0x16, 3, 1, 0, 64]), Buffer.alloc(64, 0xab)]);
    assert.equal(parseClientHello(garbage).kind, 'malformed');
  });

  it('stops at the byte budget', () => {
    const huge = Buffer.from([0x16, 3, 1, 0x40, 0x00, 1, 0x01, 0x00, 0x00]);
    assert.equal(parseClientHello(huge).kind, 'too-large');
    assert.equal(parseClientHello(buildHello({ sni: 'a.test' }), 40).kind, 'too-large');
  });
});
