// `/listeners`: Envoy's `name::address` lines, or `?format=json` as envoy.admin.v3.Listeners.
import { create } from '@bufbuild/protobuf';
import { ListenersSchema } from '@heddle/xds/gen/envoy/admin/v3/listeners_pb.ts';
import { envoyJson } from './envoy-json.ts';
import type { ListenerInfo } from './admin-sources.ts';
import { jsonReply, textReply, type AdminEndpoint } from './admin-endpoint.ts';

export function listenersEndpoint(describe: () => readonly ListenerInfo[]): AdminEndpoint {
  return {
    path: '/listeners',
    help: 'print listener info (?format=json)',
    methods: ['GET'],
    handle: ({ query }) => {
      const format = query.get('format') ?? 'text';
      const listeners = [...describe()]
        .map((listener) => ({ name: listener.name, ...(listener.boundAddress ?? listener.address) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (format === 'json')
        return jsonReply(
          envoyJson(
            ListenersSchema,
            create(ListenersSchema, {
              listenerStatuses: listeners.map(({ name, host, port }) => ({
                name,
                localAddress: {
                  address: {
                    case: 'socketAddress' as const,
                    value: { address: host, portSpecifier: { case: 'portValue' as const, value: port } },
                  },
                },
              })),
            }),
          ),
        );
      if (format !== 'text') return textReply(`unknown format "${format}" (text, json)`, 400);
      return textReply(
        listeners
          .map(({ name, host, port }) => `${name}::${host.includes(':') ? `[${host}]` : host}:${port}`)
          .join('\n'),
      );
    },
  };
}
