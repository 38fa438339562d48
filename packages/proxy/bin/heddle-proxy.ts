#!/usr/bin/env node
// heddle-proxy: runs the proxy from a bootstrap file until SIGTERM/SIGINT or POST /quitquitquit.
// Exit codes: 0 after a clean shutdown, 1 when the proxy cannot run, 2 for bad usage or a bad bootstrap.
import { parseArgs } from 'node:util';
import { LogRegistry, isLogLevel } from '../src/admin/logger.ts';
import { holdStartupMemory } from '../src/config/startup-memory.ts';
import { PROXY_VERSION } from '../src/config/version.ts';
import { BootstrapError } from '../src/xds/bootstrap-error.ts';
import { resolveConcurrency } from '../src/workers/resolve-concurrency.ts';
import { loadBootstrapFile } from '../src/xds/bootstrap-file.ts';

const USAGE =
  'usage: heddle-proxy --bootstrap <file.json|file.yaml> [--log-level <level>] [--concurrency <workers, 0: one per CPU>]';

function fail(message: string, code: number): never {
  process.stderr.write(`heddle-proxy: ${message.split('\n')[0] ?? message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: {
    bootstrap?: string | undefined;
    'log-level'?: string | undefined;
    concurrency?: string | undefined;
    help?: boolean | undefined;
    version?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      options: {
        bootstrap: { type: 'string', short: 'c' },
        'log-level': { type: 'string', short: 'l' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}; ${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.version) {
    process.stdout.write(`heddle-proxy ${PROXY_VERSION}\n`);
    return;
  }
  if (values.bootstrap === undefined) fail(`--bootstrap is required; ${USAGE}`, 2);
  const level = values['log-level'] ?? 'info';
  if (!isLogLevel(level)) fail(`unknown log level "${level}"`, 2);
  const concurrencyFlag = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrencyFlag !== undefined && !(Number.isInteger(concurrencyFlag) && concurrencyFlag >= 0))
    fail(`--concurrency must be a whole number (0: one worker per CPU), not "${values.concurrency}"`, 2);

  let bootstrap;
  try {
    bootstrap = await loadBootstrapFile(values.bootstrap);
  } catch (error) {
    fail(error instanceof BootstrapError ? error.message : String(error), 2);
  }
  const logs = new LogRegistry({ level });
  const endStartupHold = holdStartupMemory();
  let proxy;
  try {
    // Loaded only now, so that usage and bootstrap errors answer at once.
    const { startProxy } = await import('../src/proxy.ts');
    // Like Envoy's --concurrency: the flag wins over the bootstrap; 1 serves in this process.
    const workers = resolveConcurrency(concurrencyFlag ?? bootstrap.concurrency);
    const runtime =
      workers > 1
        ? (await import('../src/workers/supervised-runtime.ts')).supervisedRuntime({
            concurrency: workers,
            logLevel: level,
          })
        : undefined;
    proxy = await startProxy(
      { ...bootstrap, concurrency: workers },
      { logs, ...(runtime ? { runtime } : {}) },
    );
  } catch (error) {
    fail((error as Error).message, 1);
  }
  const running = proxy;
  void running.ready.then(endStartupHold, endStartupHold);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    logs.logger('main').info(`${signal}: shutting down`);
    // A second signal does not wait for the drain.
    if (signals > 1) void running.close();
    else void running.shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await running.closed;
  process.exit(0);
}

await main();
