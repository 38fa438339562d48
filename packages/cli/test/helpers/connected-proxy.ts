// Test helper: a sidecar on ADS that subscribes to CDS, EDS, LDS and RDS and ACKs each, for proxy-status.
import type { TestContext } from 'node:test';
import type { ControlPlane } from '@heddle/control-plane';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '@heddle/xds';
import { SotwClient, sidecarXdsNode } from '../../../control-plane/test/support/ads-client.ts';

export interface ConnectedProxy {
  readonly nodeId: string;
}

export async function connectSidecar(
  t: TestContext,
  plane: ControlPlane,
  workload: string,
  namespace: string,
  subscriptions: { readonly clusters: readonly string[]; readonly routes: readonly string[] },
): Promise<ConnectedProxy> {
  await plane.idle();
  const node = sidecarXdsNode(workload, namespace, '10.1.2.3');
  const client = new SotwClient(plane.xdsPort);
  t.after(() => client.close());
  const subscribe = async (typeUrl: string, resourceNames: readonly string[], first = false) => {
    client.send({ ...(first ? { node } : {}), typeUrl, resourceNames: [...resourceNames] });
    const response = await client.next(10_000);
    client.send({
      typeUrl,
      resourceNames: [...resourceNames],
      versionInfo: response.versionInfo,
      responseNonce: response.nonce,
    });
  };
  await subscribe(CLUSTER_TYPE_URL, [], true);
  await subscribe(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, subscriptions.clusters);
  await subscribe(LISTENER_TYPE_URL, []);
  await subscribe(ROUTE_CONFIGURATION_TYPE_URL, subscriptions.routes);
  return { nodeId: node.id };
}
