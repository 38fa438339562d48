// The entry file of a worker process (forked by the main process, see worker-process.ts): waits for its
// init message, then runs the proxy's parts under the worker runtime. Signals are the main process's to
// handle — it tells the workers to drain — and a worker whose main process is gone exits.
import { LogRegistry } from '../admin/logger.ts';
import { holdStartupMemory } from '../config/startup-memory.ts';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-protocol.ts';

const endStartupHold = holdStartupMemory();

const held: MainToWorker[] = [];
let deliver: ((message: MainToWorker) => void) | undefined;
let resolveInit!: (init: WorkerInit) => void;
const initialized = new Promise<WorkerInit>((resolve) => (resolveInit = resolve));

function send(message: WorkerToMain): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, undefined, {}, () => resolve());
  });
}

process.on('message', (message: MainToWorker) => {
  if (message.kind === 'init') return resolveInit(message);
  if (deliver) deliver(message);
  else held.push(message);
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the main process decides how the workers stop.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
await send({ kind: 'hello' });

const init = await initialized;
const logs = new LogRegistry({
  level: init.logLevel,
  write: (line) =>
    process.stderr.write(`${line.replace(/^((?:\[[^\]]*\]){3})/, `$1[worker ${init.workerId}]`)}\n`),
});
const [{ startProxy }, { workerRuntime }] = await Promise.all([
  import('../proxy.ts'),
  import('./worker-runtime.ts'),
]);
const proxy = await startProxy(init.bootstrap, {
  logs,
  drainTimeoutMs: init.drainTimeoutMs,
  runtime: workerRuntime({
    listen: (receive) => {
      deliver = receive;
      for (const message of held.splice(0)) receive(message);
    },
    reply: (id, result) => send({ kind: 'reply', id, ...result }),
  }),
});
void proxy.ready.then(endStartupHold, endStartupHold);
await proxy.closed;
// The answer to `close` goes out first.
setImmediate(() => process.exit(0));
