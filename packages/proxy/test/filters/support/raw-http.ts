// HTTP/1.1 over a raw socket, for requests a well-behaved client would refuse or rewrite (dot segments,
// backslashes, fragments, repeated or oddly spaced headers): sends the bytes as written, parses the answer.
import { connect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

export interface RawReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function rawRequest(
  port: number,
  target: string,
  headerLines: readonly string[] = [],
  options: { readonly method?: string; readonly host?: string; readonly tls?: ConnectionOptions } = {},
): Promise<RawReply> {
  const head = [
    `${options.method ?? 'GET'} ${target} HTTP/1.1`,
    `Host: ${options.host ?? 'example.com'}`,
    ...headerLines,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = options.tls
      ? tlsConnect({ port, host: '127.0.0.1', ...options.tls })
      : connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer for ${target}`)), 5000);
    socket.on(options.tls ? 'secureConnect' : 'connect', () => socket.write(head));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, end < 0 ? text.length : end).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = end < 0 ? '' : text.slice(end + 4);
      if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
      resolve({ status, headers, body });
    });
  });
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}
