// Test helper: a sidecar on ADS whose answer to each xDS type is scripted — ACK, NACK with a message, or
// no answer at all — so proxy-status can be shown SYNCED, NACKED and STALE side by side.
import type { TestContext } from 'node:test';
import type { ControlPlane } from '@heddle/control-plane';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '@heddle/xds';
import { SotwClient } from '../../../control-plane/test/support/ads-client.ts';

export type Answer = 'ack' | 'none' | { readonly nack: string };

export interface ScriptedProxy {
  readonly nodeId: string;
}

export interface ScriptedProxyOptions {
  readonly workload: string;
  readonly namespace: string;
  readonly ip: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly clusters?: readonly string[];
  readonly routes?: readonly string[];
  /** Per xDS type; ACK when unset. Types after one left unanswered are still requested. */
  readonly answers?: Partial<Record<'CDS' | 'EDS' | 'LDS' | 'RDS', Answer>>;
}

export async function connectScriptedProxy(
  t: TestContext,
  plane: ControlPlane,
  options: ScriptedProxyOptions,
): Promise<ScriptedProxy> {
  await plane.idle();
  const id = `sidecar~${options.ip}~${options.workload}.${options.namespace}~${options.namespace}.svc.cluster.local`;
  const node = {
    id,
    metadata: {
      NAMESPACE: options.namespace,
      WORKLOAD_NAME: options.workload,
      LABELS: { app: options.workload, ...options.labels },
      ISTIO_VERSION: '1.24.0',
      INSTANCE_IPS: options.ip,
    },
  };
  const client = new SotwClient(plane.xdsPort);
  t.after(() => client.close());
  const steps: [keyof NonNullable<ScriptedProxyOptions['answers']>, string, readonly string[]][] = [
    ['CDS', CLUSTER_TYPE_URL, []],
    ['EDS', CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, options.clusters ?? []],
    ['LDS', LISTENER_TYPE_URL, []],
    ['RDS', ROUTE_CONFIGURATION_TYPE_URL, options.routes ?? []],
  ];
  let first = true;
  for (const [type, typeUrl, resourceNames] of steps) {
    client.send({ ...(first ? { node } : {}), typeUrl, resourceNames: [...resourceNames] });
    first = false;
    const response = await client.next(10_000);
    const answer = options.answers?.[type] ?? 'ack';
    if (answer === 'none') continue;
    client.send({
      typeUrl,
      resourceNames: [...resourceNames],
      responseNonce: response.nonce,
      ...(answer === 'ack'
        ? { versionInfo: response.versionInfo }
        : { versionInfo: '', errorDetail: { code: 3, message: answer.nack } }),
    });
  }
  await plane.idle();
  return { nodeId: id };
}
