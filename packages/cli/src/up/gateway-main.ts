#!/usr/bin/env node
// The local ingress gateway: Heddle's proxy run from a bootstrap file, with every Gateway listener bound on
// the loopback address and its port mapped (80 → 8080 …) so that it runs without root on one machine.
// Usage: gateway-main.ts --bootstrap <file> --port-offset <n> [--listen-address <ip>] [--log-level <level>]
// Exit codes as heddle-proxy's: 0 after a clean shutdown, 1 when it cannot run, 2 for bad usage.
import { parseArgs } from 'node:util';
import { LOG_LEVELS, LogRegistry, loadBootstrapFile, startProxy, type LogLevel } from '@heddle/proxy';
import { localGatewayPort } from './gateway-port-map.ts';

function fail(message: string, code: number): never {
  process.stderr.write(`heddle gateway: ${message.split('\n')[0] ?? message}\n`);
  process.exit(code);
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      'port-offset': { type: 'string' },
      'listen-address': { type: 'string', default: '127.0.0.1' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message, 2);
}
const offset = Number(values['port-offset']);
if (values.bootstrap === undefined || !Number.isInteger(offset))
  fail('--bootstrap and --port-offset are required', 2);
const level = values['log-level'] ?? 'info';
if (!isLogLevel(level)) fail(`unknown log level "${level}"`, 2);
const listenAddress = values['listen-address'] ?? '127.0.0.1';

let bootstrap;
try {
  bootstrap = await loadBootstrapFile(values.bootstrap);
} catch (error) {
  fail((error as Error).message, 2);
}
const logs = new LogRegistry({ level });
let proxy;
try {
  proxy = await startProxy(bootstrap, {
    logs,
    bindAddressOverride: (listener) => {
      const configured = listener.address?.address;
      const port = configured?.case === 'socketAddress' ? configured.value.portSpecifier : undefined;
      const gatewayPort = port?.case === 'portValue' ? port.value : 0;
      return { address: listenAddress, port: localGatewayPort(gatewayPort, offset) };
    },
  });
} catch (error) {
  fail((error as Error).message, 1);
}
const running = proxy;
let signals = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  signals++;
  logs.logger('main').info(`${signal}: shutting down`);
  if (signals > 1) void running.close();
  else void running.shutdown();
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
await running.closed;
process.exit(0);
