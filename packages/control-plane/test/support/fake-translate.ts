// A stand-in translator for push tests: output depends only on the services and VirtualServices of the proxy's
// namespace, so a change in one namespace changes the output of that namespace's proxies only.
import { create } from '@bufbuild/protobuf';
import type { TranslateFn } from '../../src/index.ts';
import {
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  ListenerSchema,
  RouteConfigurationSchema,
} from '@heddle/xds';

export const fakeTranslate: TranslateFn = (snapshot, node) => {
  const services = snapshot.services.filter((s) => s.namespace === node.namespace);
  const clusterNames = services.flatMap((s) => s.ports.map((p) => `outbound|${p.number}||${s.hostname}`));
  clusterNames.push('BlackHoleCluster');
  clusterNames.sort();
  const virtualServices = snapshot.virtualServices.filter((vs) => vs.metadata.namespace === node.namespace);
  return {
    clusters: clusterNames.map((name) => create(ClusterSchema, { name })),
    endpoints: clusterNames
      .filter((name) => name.startsWith('outbound|'))
      .map((clusterName) => create(ClusterLoadAssignmentSchema, { clusterName })),
    listeners: [create(ListenerSchema, { name: 'virtualOutbound' })],
    routes: [
      create(RouteConfigurationSchema, {
        name: '80',
        virtualHosts: virtualServices.map((vs) => ({
          name: vs.metadata.name,
          domains: [...(vs.spec.hosts ?? [])],
        })),
      }),
    ],
    secrets: [],
    warnings: [],
  };
};
