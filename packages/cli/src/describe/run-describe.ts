// The work behind `heddle x describe`: loaded only when the verb runs, since it pulls in the translator.
import { effectivePolicies, MATCH_NOTHING } from '../authz-check/effective-policies.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { describeService } from './describe-service.ts';
import { describeWorkload, findWorkload, renderWorkloadDescription } from './describe-workload.ts';
import { findService } from './find-service.ts';
import { loadMeshModel } from './mesh-model.ts';
import { renderServiceDescription } from './render-service.ts';

export interface DescribeRequest {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly output: 'text' | 'json';
}

export async function runDescribeService(
  client: ControlPlaneClient,
  request: DescribeRequest,
): Promise<string> {
  const model = await loadMeshModel(client);
  const description = describeService(
    model.index,
    findService(model.services, request.name, request.namespace),
  );
  return request.output === 'json'
    ? `${JSON.stringify(description, null, 2)}\n`
    : renderServiceDescription(description);
}

export async function runDescribeWorkload(
  client: ControlPlaneClient,
  request: DescribeRequest,
): Promise<string> {
  const model = await loadMeshModel(client);
  const workload = findWorkload(model.workloads, request.name, request.namespace);
  const proxy = model.proxies
    .filter((status) => status.workload === workload.name && status.namespace === workload.namespace)
    .at(-1);
  const dump = proxy ? await client.configDump(proxy.proxy) : undefined;
  // The policies the proxy was actually sent, as a cross-check of the ones the config says apply.
  const enforced = dump
    ? [...new Set(effectivePolicies(dump).policies.map((policy) => policy.policy))]
        .filter((policy) => policy !== MATCH_NOTHING)
        .sort()
    : undefined;
  const description = describeWorkload(model, workload, enforced, proxy);
  return request.output === 'json'
    ? `${JSON.stringify(description, null, 2)}\n`
    : renderWorkloadDescription(description);
}
