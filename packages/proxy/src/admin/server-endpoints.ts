// The server lifecycle endpoints: `/ready`, `/server_info`, `/memory`, `/healthcheck/{fail,ok}`,
// `/drain_listeners` and `/quitquitquit` (the last four change state and take POST only).
import { create } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { MemorySchema } from '@heddle/xds/gen/envoy/admin/v3/memory_pb.ts';
import { ServerInfoSchema } from '@heddle/xds/gen/envoy/admin/v3/server_info_pb.ts';
import { PROXY_USER_AGENT, PROXY_VERSION } from '../config/version.ts';
import { SERVER_STATE_CODES } from '../stats/server-stats.ts';
import { envoyJson } from './envoy-json.ts';
import type { ServerControl } from './admin-sources.ts';
import { jsonReply, queryFlag, textReply, type AdminEndpoint } from './admin-endpoint.ts';

export function serverEndpoints(control: ServerControl): AdminEndpoint[] {
  return [
    {
      path: '/ready',
      help: 'print server state, 200 only when LIVE',
      methods: ['GET'],
      handle: () => {
        const state = control.state();
        return textReply(state, state === 'LIVE' ? 200 : 503);
      },
    },
    {
      path: '/server_info',
      help: 'print server version, state, uptime and node',
      methods: ['GET'],
      handle: () => {
        const uptime = durationFromMs(Math.max(0, control.now() - control.startedAt));
        const info = create(ServerInfoSchema, {
          version: `${PROXY_USER_AGENT}/${PROXY_VERSION}`,
          state: SERVER_STATE_CODES[control.state()],
          uptimeCurrentEpoch: uptime,
          uptimeAllEpochs: uptime,
          commandLineOptions: {
            concurrency: control.concurrency,
            serviceCluster: control.node.cluster,
            serviceNode: control.node.id,
            drainTime: durationFromMs(control.drainTimeoutMs),
          },
          node: control.node,
        });
        return jsonReply(envoyJson(ServerInfoSchema, info, { emitDefaults: true }));
      },
    },
    {
      path: '/memory',
      help: 'print current allocation and heap size',
      methods: ['GET'],
      handle: () => {
        const memory = process.memoryUsage();
        const message = create(MemorySchema, {
          allocated: BigInt(memory.heapUsed),
          heapSize: BigInt(memory.heapTotal),
          totalPhysicalBytes: BigInt(memory.rss),
        });
        return jsonReply(envoyJson(MemorySchema, message, { emitDefaults: true }));
      },
    },
    {
      path: '/healthcheck/fail',
      help: 'make readiness fail (until /healthcheck/ok)',
      methods: ['POST'],
      handle: () => {
        control.setHealthCheckFailed(true);
        return textReply('OK');
      },
    },
    {
      path: '/healthcheck/ok',
      help: 'undo /healthcheck/fail',
      methods: ['POST'],
      handle: () => {
        control.setHealthCheckFailed(false);
        return textReply('OK');
      },
    },
    {
      path: '/drain_listeners',
      help: 'drain listeners (?graceful, ?inboundonly)',
      methods: ['POST'],
      handle: ({ query }) => {
        control.drainListeners({
          graceful: queryFlag(query, 'graceful'),
          inboundOnly: queryFlag(query, 'inboundonly'),
        });
        return textReply('OK');
      },
    },
    {
      path: '/quitquitquit',
      help: 'shut the proxy down gracefully',
      methods: ['POST'],
      handle: () => {
        // The reply goes out before the shutdown starts closing servers.
        setImmediate(() => control.quit());
        return textReply('OK');
      },
    },
  ];
}
