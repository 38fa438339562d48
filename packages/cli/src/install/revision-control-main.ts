#!/usr/bin/env node
// A revision's control plane (istiod --revision): the same control plane as `heddle control`, on ports of its
// own, over the same store and CA as heddle up's, reading its own `istio-<rev>` meshConfig and mirroring the
// workload registrations heddle up's control plane takes.
// Usage: revision-control-main.ts --data-dir <dir> --revision <rev> --xds-address <host:port>
//          --http-address <host:port> --primary <url> [--log-level <level>]
// Exit codes: 0 after SIGTERM/SIGINT, 1 when it cannot start, 2 for bad usage.
import { parseArgs } from 'node:util';
import { jsonLogger, openSqliteStore, startControlPlane, type LogLevel } from '@heddle/control-plane';
import { mirrorRegistrations } from './registration-mirror.ts';
import { revisionStoreView } from './revision-store-view.ts';

function fail(message: string, code: number): never {
  process.stderr.write(`heddle revision control plane: ${message.split('\n')[0] ?? message}\n`);
  process.exit(code);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      revision: { type: 'string' },
      'xds-address': { type: 'string' },
      'http-address': { type: 'string' },
      primary: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message, 2);
}
const dataDir = values['data-dir'];
const revision = values.revision;
const primary = values.primary;
if (!dataDir || !revision || !primary || !values['xds-address'] || !values['http-address'])
  fail('--data-dir, --revision, --xds-address, --http-address and --primary are required', 2);
const level = (values['log-level'] ?? 'info') as LogLevel;

const store = revisionStoreView(openSqliteStore({ dataDir }), { revision });
await store.poll();
let plane;
try {
  plane = await startControlPlane({
    dataDir,
    store,
    xdsAddress: values['xds-address'],
    httpAddress: values['http-address'],
    secureXdsAddress: false,
    instanceId: `istiod-${revision}-${process.pid}`,
    logger: jsonLogger(level, (line) => process.stderr.write(line)),
  });
} catch (error) {
  await store.close();
  fail((error as Error).message, 1);
}
const running = plane;
const mirror = mirrorRegistrations(primary, running.registry);
await mirror.sync();
process.stdout.write(
  `revision ${revision} control plane ready: xDS ${values['xds-address']}, HTTP ${values['http-address']}\n`,
);
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) process.exit(1);
  stopping = true;
  mirror.stop();
  await running.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
