// `heddle x load <url>`: a load test as the seeds run one with Fortio (`fortio load -c 50 -t 60s -qps 1000 …`):
// a fixed rate over keep-alive connections for a time or a count, then the rate achieved, the status codes
// and the latency distribution. A progress bar on a terminal; Ctrl-C stops early and reports what was measured.
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { CliError } from '../cli-error.ts';
import { watchStopSignals } from '../control/stop-signals.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeFsError } from '../input/describe-fs-error.ts';
import { renderLoadReport } from '../load/load-report.ts';
import {
  collectHeader,
  parseConnections,
  parseCount,
  parseLoadDuration,
  parseQps,
  parseRequestTimeout,
  parseTarget,
  type LoadRequest,
} from '../load/load-request.ts';
import { runLoad } from '../load/run-load.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';

interface LoadOptionValues {
  readonly connections: number;
  readonly qps: number;
  readonly duration: number;
  readonly requests?: number;
  readonly method: string;
  readonly header?: Record<string, string | readonly string[]>;
  readonly data?: string;
  readonly timeout: number;
  readonly insecure: boolean;
  readonly sni?: string;
  readonly cacert?: string;
  readonly output: 'text' | 'json';
}

const DETAILS = `
Each connection sends on its own schedule so that together they keep the target rate (--qps 0: as fast as
the answers come back); a connection that falls behind sends at once, and the report says when the target
was not reached. Latency is from sending a request to the end of its answer. The run stops after --duration
or --requests, whichever comes first; Ctrl-C stops it early and the report covers what was sent.

Exit codes:
  0   the run completed (whatever the status codes)
  64  usage error
  65  the --cacert file cannot be read
  69  no request got an answer (nothing listening, every connection failed)

Examples:
  heddle x load -c 50 -t 60s --qps 1000 http://127.0.0.1:8080/api/products
  heddle x load -n 1000 -c 8 --qps 0 -H 'end-user: test-user' http://127.0.0.1:8080/api/products
  heddle x load --cacert ca.crt --sni shop.example.com -H 'host: shop.example.com' https://127.0.0.1:8443/`;

async function readCaFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read --cacert ${path}: ${describeFsError(error)}`,
      EXIT_CODES.UNREADABLE_INPUT,
    );
  }
}

export function buildXLoadCommand(context: CommandContext): Command {
  return new Command('load')
    .summary('send load to a URL and report rate, codes and latency percentiles')
    .description('Sends HTTP load at a fixed rate (as fortio load) and reports what came back.')
    .argument('<url>', 'the target: an http:// or https:// URL')
    .addOption(
      new Option('-c, --connections <n>', 'connections (requests in flight)')
        .argParser(parseConnections)
        .default(8),
    )
    .addOption(
      new Option('--qps <rate>', 'target requests per second over all connections; 0: as fast as possible')
        .argParser(parseQps)
        .default(8),
    )
    .addOption(
      new Option('-t, --duration <time>', 'how long to send, e.g. 30s or 5m')
        .argParser(parseLoadDuration)
        .default(5000, '5s'),
    )
    .addOption(
      new Option('-n, --requests <n>', 'how many requests in all (ends the run before --duration)').argParser(
        parseCount,
      ),
    )
    .addOption(new Option('-X, --method <method>', 'request method').default('GET'))
    .addOption(
      new Option('-H, --header <header>', "a request header 'name: value' (repeatable)").argParser(
        collectHeader,
      ),
    )
    .addOption(new Option('-d, --data <body>', 'request body'))
    .addOption(
      new Option('--timeout <time>', 'per-request limit for headers and body')
        .argParser(parseRequestTimeout)
        .default(10_000, '10s'),
    )
    .addOption(new Option('-k, --insecure', 'accept any certificate from an https target').default(false))
    .addOption(new Option('--sni <name>', "TLS server name to send instead of the URL's host"))
    .addOption(new Option('--cacert <file>', 'PEM file of the CA certificates to trust for an https target'))
    .addOption(
      choiceOption('-o, --output <format>', 'output format', ['text', 'json'] as const, { default: 'text' }),
    )
    .addHelpText('after', DETAILS)
    .action(async (url: string, options: LoadOptionValues) => {
      const request: LoadRequest = {
        url: parseTarget(url),
        method: options.method.toUpperCase(),
        headers: options.header ?? {},
        ...(options.data !== undefined ? { body: options.data } : {}),
        connections: options.connections,
        qps: options.qps,
        durationMs: options.duration,
        ...(options.requests !== undefined ? { count: options.requests } : {}),
        timeoutMs: options.timeout,
        insecure: options.insecure,
        ...(options.sni !== undefined ? { serverName: options.sni } : {}),
        ...(options.cacert !== undefined ? { caCertificates: await readCaFile(options.cacert) } : {}),
      };
      const stderr = context.io.stderr;
      const bar =
        stderr.isTTY === true && options.output === 'text'
          ? new SingleBar({
              stream: stderr as unknown as NodeJS.WritableStream,
              format: '{bar} {percentage}% | {value} requests | {duration}s',
              hideCursor: true,
              clearOnComplete: true,
            })
          : undefined;
      const total = request.count ?? request.durationMs;
      bar?.start(total, 0);
      const abort = new AbortController();
      const stop = watchStopSignals(process, () => undefined);
      void stop.stopped.then(() => abort.abort());
      let result;
      try {
        result = await runLoad(request, {
          signal: abort.signal,
          ...(bar
            ? {
                onProgress: ({ requests, elapsedMs }) =>
                  bar.update(request.count !== undefined ? requests : Math.min(elapsedMs, total), {
                    value: requests,
                  }),
              }
            : {}),
        });
      } finally {
        bar?.stop();
        stop.dispose();
      }
      context.io.stdout.write(renderLoadReport(result, options.output));
      if (result.requests > 0 && result.latencyMicros.count === 0)
        throw new CliError(
          `no request to ${request.url.href} got an answer: ${Object.keys(result.errorReasons).join('; ') || 'no answer'}`,
          EXIT_CODES.UNAVAILABLE,
        );
      context.setExitCode(EXIT_CODES.OK);
    });
}
