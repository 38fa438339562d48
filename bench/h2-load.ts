// An HTTP/2 saturation load generator (h2load is not installed here): `--connections` h2c (or, with --tls,
// h2 over TLS) sessions, each keeping `--streams` GET requests in flight, for `--duration` seconds after
// `--warmup` seconds. Prints JSON: requests completed in the measured window, req/s, errors, non-2xx.
// Run: node bench/h2-load.ts --port 18083 [--connections 4] [--streams 8] [--duration 10] [--warmup 0] [--tls]
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    path: { type: 'string', default: '/' },
    connections: { type: 'string', default: '4' },
    streams: { type: 'string', default: '8' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '0' },
    tls: { type: 'boolean', default: false },
  },
});
if (!args.port) throw new Error('--port is required');
const ORIGIN = `${args.tls ? 'https' : 'http'}://${args.host}:${args.port}`;
const DURATION_MS = Number(args.duration) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const STREAMS = Number(args.streams);
const HEADERS = {
  [constants.HTTP2_HEADER_METHOD]: 'GET',
  [constants.HTTP2_HEADER_PATH]: args.path,
};

let measuring = false;
let stopped = false;
let completed = 0;
let errors = 0;
let non2xx = 0;

function send(session: ClientHttp2Session): void {
  if (stopped || session.destroyed) return;
  const stream = session.request(HEADERS, { endStream: true });
  let status = 0;
  stream.on('response', (headers) => (status = Number(headers[constants.HTTP2_HEADER_STATUS])));
  stream.on('data', () => {});
  stream.on('error', () => {
    if (measuring) errors++;
  });
  stream.on('close', () => {
    if (measuring) {
      if (status >= 200 && status < 300) completed++;
      else if (status > 0) non2xx++;
      else errors++;
    }
    send(session);
  });
}

const sessions: ClientHttp2Session[] = [];
for (let i = 0; i < Number(args.connections); i++) {
  const session = connect(ORIGIN, args.tls ? { rejectUnauthorized: false } : {});
  session.on('error', () => errors++);
  sessions.push(session);
  for (let s = 0; s < STREAMS; s++) send(session);
}
setTimeout(() => {
  measuring = true;
  const started = performance.now();
  setTimeout(() => {
    measuring = false;
    stopped = true;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${JSON.stringify({ requests: completed, rps: completed / seconds, errors, non2xx })}\n`,
    );
    for (const session of sessions) session.destroy();
    process.exit(0);
  }, DURATION_MS);
}, WARMUP_MS);
