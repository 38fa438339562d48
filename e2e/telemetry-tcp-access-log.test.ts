// Access logs of TCP connections through the whole stack: meshConfig `accessLogFile` (the `istio` ConfigMap) →
// control plane → the tcp_proxy chains of a sidecar in front of a TCP application. Each connection is one line
// in Istio's default format when it closes, with its bytes, upstream cluster and host, and `-` for what only
// HTTP has; a Telemetry that turns server-side logging off stops the lines.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from './support/mesh.ts';
import {
  settle,
  startSecureMesh,
  startServer,
  type SecureMesh,
  type ServerWorkload,
} from './support/security-mesh.ts';
import { PLAINTEXT, tcpExchange } from './support/security-peers.ts';

function meshConfigMap(logFile: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    accessLogFile: ${logFile}
`;
}

const SERVER_LOGGING_OFF = `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: no-server-logs, namespace: data }
spec:
  accessLogging:
    - match: { mode: SERVER }
      disabled: true
`;

describe('TCP access logs through the mesh', { timeout: 120_000 }, () => {
  let dir: string;
  let logFile: string;
  let mesh: SecureMesh | undefined;
  let db: ServerWorkload | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-tcp-logs-'));
    logFile = join(dir, 'access.log');
    mesh = await startSecureMesh('tcp-logs');
    await mesh.apply(meshConfigMap(logFile));
    db = await startServer(mesh, { app: 'db', namespace: 'data', protocol: 'TCP' });
  });

  after(async () => {
    await db?.close();
    await mesh?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const lines = async (): Promise<string[]> =>
    (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');

  it('writes one line per connection when it closes, with its bytes and upstream', async () => {
    assert.ok(db);
    const reply = await tcpExchange(db.inboundPort, PLAINTEXT, 'ping\n');
    assert.equal(reply, 'hello db\nping\n');
    let line = '';
    const logged = await eventually(async () => {
      line = (await lines()).find((entry) => entry.includes(`inbound|${db?.inboundPort}||`)) ?? '';
      return line !== '';
    }, 10_000);
    assert.ok(logged, `no access-log line for the connection; the file has:\n${(await lines()).join('\n')}`);
    // Istio's default TEXT format: no method, path or protocol; response code 0; no flags; 5 bytes in, 14 out.
    assert.match(line, /^\[\S+\] "- - -" 0 - /, line);
    assert.match(line, /"-" 5 14 \d+ - "-" "-" "-" "-" "127\.0\.0\.1:\d+" inbound\|\d+\|\| /, line);
    assert.equal(
      Number(/"127\.0\.0\.1:(\d+)"/.exec(line)?.[1]),
      db.tcp?.port,
      'the application is the upstream host',
    );
  });

  it('stops logging server-side connections under a Telemetry that disables them', async () => {
    assert.ok(mesh && db);
    const server = db;
    /** How many lines one more connection adds, given a moment to be written. */
    const linesAddedByOneConnection = async (): Promise<number> => {
      const before = (await lines()).length;
      await tcpExchange(server.inboundPort, PLAINTEXT, 'quiet\n');
      await new Promise((resolve) => setTimeout(resolve, 300));
      return (await lines()).length - before;
    };
    // While logging is on, one connection adds one line (written when the proxy has closed both sides).
    const before = (await lines()).length;
    await tcpExchange(server.inboundPort, PLAINTEXT, 'loud\n');
    assert.ok(
      await eventually(async () => (await lines()).length === before + 1, 10_000),
      'a logged connection adds a line',
    );
    await mesh.apply(SERVER_LOGGING_OFF);
    // Once the update is in, new connections add no line; several in a row, as older chains drain.
    await settle(
      linesAddedByOneConnection,
      (added) => added === 0,
      'no new access-log line for a server-side connection',
      30_000,
      3,
    );
  });
});
