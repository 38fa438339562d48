// Finds a connected proxy by node id, connection id, or Istio's `<workload>.<namespace>` form.
import type { XdsStream } from '../xds/xds-stream.ts';

/** The newest stream wins when a proxy is connected twice (a reconnect racing the old stream's close). */
export function findProxy(streams: readonly XdsStream[], proxyId: string): XdsStream | undefined {
  const matches = streams.filter(({ connection }) => {
    const { node } = connection;
    return (
      node.id === proxyId ||
      connection.connectionId === proxyId ||
      `${node.workloadName}.${node.namespace}` === proxyId
    );
  });
  return matches.at(-1);
}
