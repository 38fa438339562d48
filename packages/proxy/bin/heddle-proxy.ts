#!/usr/bin/env node
// heddle-proxy: runs the proxy from a bootstrap file until SIGTERM/SIGINT or POST /quitquitquit.
// Exit codes: 0 after a clean shutdown, 1 when the proxy cannot run, 2 for bad usage or a bad bootstrap.
import { enableCompileCache } from 'node:module';
import { parseArgs } from 'node:util';
import { LogRegistry, isLogLevel } from '../src/admin/logger.ts';
import { PROXY_VERSION } from '../src/config/version.ts';
import { BootstrapError } from '../src/xds/bootstrap-error.ts';
import { loadBootstrapFile } from '../src/xds/bootstrap-file.ts';

const USAGE = 'usage: heddle-proxy --bootstrap <file.json|file.yaml> [--log-level <level>]';

function fail(message: string, code: number): never {
  process.stderr.write(`heddle-proxy: ${message.split('\n')[0] ?? message}\n`);
  process.exit(code);
}

/**
 * Start-up memory: the compile cache keeps the stripped form of the TypeScript sources on disk, so later
 * starts skip the type stripper, whose WebAssembly memory grows with the largest file it strips and is never
 * returned. (The young generation, which V8 grows to 32 MiB per semi-space while the proxy loads and keeps,
 * can only be capped on the command line: `NODE_OPTIONS=--max-semi-space-size=4`; holding its growth off
 * from here makes collections cost about 15% of the CPU under load, so it is left to the operator.)
 */
function tuneMemory(): void {
  enableCompileCache();
}

async function main(): Promise<void> {
  let values: {
    bootstrap?: string | undefined;
    'log-level'?: string | undefined;
    help?: boolean | undefined;
    version?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      options: {
        bootstrap: { type: 'string', short: 'c' },
        'log-level': { type: 'string', short: 'l' },
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

  let bootstrap;
  try {
    bootstrap = await loadBootstrapFile(values.bootstrap);
  } catch (error) {
    fail(error instanceof BootstrapError ? error.message : String(error), 2);
  }
  const logs = new LogRegistry({ level });
  tuneMemory();
  let proxy;
  try {
    // Loaded only now, so that usage and bootstrap errors answer at once.
    const { startProxy } = await import('../src/proxy.ts');
    proxy = await startProxy(bootstrap, { logs });
  } catch (error) {
    fail((error as Error).message, 1);
  }
  const running = proxy;
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
