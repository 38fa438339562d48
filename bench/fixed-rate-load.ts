// A fixed-rate HTTP/1.1 load generator (wrk2 is not packaged for Debian): sends `--rate` requests per second
// over `--connections` keep-alive connections, one request in flight per connection, and prints percentiles
// of the latency (from the moment the request is written to the end of the response) as JSON. Requests that
// found no idle connection wait in a queue; their wait is counted in their latency (the schedule is kept, as
// in wrk2), and how many waited is reported. The first `--warmup` seconds are not recorded.
// Run: node bench/fixed-rate-load.ts --port 18083 [--rate 1000] [--duration 10] [--connections 32] [--warmup 1]
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    path: { type: 'string', default: '/' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
  },
});
if (!args.port) throw new Error('--port is required');
const HOST = args.host;
const PORT = Number(args.port);
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const REQUEST = Buffer.from(`GET ${args.path} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`, 'latin1');

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Conn {
  readonly socket: Socket;
  busy: boolean;
  /** When the request in flight was due (scheduled), in ms. */
  due: number;
  recordIt: boolean;
  buffer: Buffer;
}

const samples: number[] = [];
let errors = 0;
let non2xx = 0;
let waited = 0;
let completed = 0;
const idle: Conn[] = [];
const queue: { due: number; recordIt: boolean }[] = [];

/** Returns the length of one complete response at the start of `buf`, or -1 if incomplete. */
function responseLength(buf: Buffer): { length: number; status: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = buf.toString('latin1', 0, end).toLowerCase();
  const status = Number(head.slice(9, 12));
  const cl = /\r\ncontent-length:\s*(\d+)/.exec(head);
  if (cl) {
    const total = end + 4 + Number(cl[1]);
    return buf.length >= total ? { length: total, status } : undefined;
  }
  if (head.includes('transfer-encoding: chunked')) {
    const last = buf.indexOf('\r\n0\r\n\r\n', end);
    if (last >= 0) return { length: last + 7, status };
    if (buf.indexOf('0\r\n\r\n', end + 4) === end + 4) return { length: end + 9, status };
    return undefined;
  }
  return { length: end + 4, status };
}

function send(conn: Conn, due: number, recordIt: boolean): void {
  conn.busy = true;
  conn.due = due;
  conn.recordIt = recordIt;
  conn.socket.write(REQUEST);
}

function open(): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, HOST);
    socket.setNoDelay(true);
    const conn: Conn = { socket, busy: false, due: 0, recordIt: false, buffer: Buffer.alloc(0) };
    socket.once('connect', () => resolve(conn));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      conn.buffer = conn.buffer.length === 0 ? chunk : Buffer.concat([conn.buffer, chunk]);
      const parsed = responseLength(conn.buffer);
      if (!parsed) return;
      conn.buffer = conn.buffer.subarray(parsed.length);
      const latency = nowMs() - conn.due;
      if (conn.recordIt) {
        samples.push(latency);
        if (parsed.status < 200 || parsed.status >= 400) non2xx++;
      }
      completed++;
      conn.busy = false;
      const next = queue.shift();
      if (next) send(conn, next.due, next.recordIt);
      else idle.push(conn);
    });
    socket.on('close', () => {
      if (conn.busy) errors++;
    });
  });
}

const conns = await Promise.all(Array.from({ length: CONNECTIONS }, open));
idle.push(...conns);
const start = nowMs();
const total = Math.round(RATE * (WARMUP_S + DURATION_S));
let scheduled = 0;
const interval = 1000 / RATE;

await new Promise<void>((resolve) => {
  const tick = (): void => {
    const now = nowMs();
    while (scheduled < total && start + scheduled * interval <= now) {
      const due = start + scheduled * interval;
      const recordIt = scheduled >= RATE * WARMUP_S;
      scheduled++;
      const conn = idle.pop();
      if (conn) send(conn, now, recordIt);
      else {
        waited++;
        queue.push({ due, recordIt });
      }
    }
    if (scheduled < total) setTimeout(tick, 0.5);
    else resolve();
  };
  tick();
});
// Let the last responses arrive (at most 2 s).
const drainUntil = nowMs() + 2000;
while ((queue.length > 0 || conns.some((c) => c.busy)) && nowMs() < drainUntil) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const unanswered = conns.filter((c) => c.busy).length + queue.length;
for (const c of conns) c.socket.destroy();

samples.sort((a, b) => a - b);
const pct = (p: number): number =>
  samples.length === 0
    ? NaN
    : samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)]!;
const elapsedS = (nowMs() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({
    rate: RATE,
    recorded: samples.length,
    completed,
    elapsedS,
    errors: errors + unanswered,
    non2xx,
    waited,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    p999: pct(99.9),
    max: samples.at(-1) ?? NaN,
  })}\n`,
);
