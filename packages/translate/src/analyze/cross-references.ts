// Analyzers across resources, as istioctl analyze runs them: hosts, subsets and gateways that rules name
// must exist (IST0101); one host has one mesh VirtualService (IST0109); a policy's selector selects some
// workload (IST0127, only where the workloads are known).
import type { Finding } from '@heddle/api';
import { hostMatches, resolveHost } from '../snapshot/host-names.ts';
import { list, record, stringRecord, text, type AnalysisResource } from './analysis-resource.ts';
import { IST_CODES } from './ist-codes.ts';

export interface AnalysisContext {
  readonly resources: readonly AnalysisResource[];
  /** Host names of services known beyond the resources (the control plane's registry). */
  readonly registryHosts: readonly string[];
  /** Workloads by namespace and labels; undefined when not known (files only). */
  readonly workloads?: readonly AnalysisWorkload[];
}

/** A workload as the selector analyzer needs it: where it runs and its labels. */
export interface AnalysisWorkload {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function crossReferenceFindings(context: AnalysisContext): Finding[] {
  const hosts = knownHosts(context);
  return [
    ...context.resources.flatMap((resource) =>
      resource.kind === 'VirtualService' ? virtualServiceReferences(resource, context, hosts) : [],
    ),
    ...conflictingMeshHosts(context.resources),
    ...(context.workloads ? selectorsWithoutWorkloads(context.resources, context.workloads) : []),
  ];
}

function knownHosts(context: AnalysisContext): string[] {
  const hosts = [...context.registryHosts];
  for (const resource of context.resources) {
    if (resource.kind === 'ServiceEntry') {
      for (const host of list(resource.spec.hosts)) {
        if (typeof host === 'string') hosts.push(resolveHost(host, resource.namespace));
      }
    }
    if (resource.kind === 'Service') hosts.push(`${resource.name}.${resource.namespace}.svc.cluster.local`);
  }
  return hosts;
}

function finding(
  resource: AnalysisResource,
  code: string,
  level: Finding['level'],
  message: string,
): Finding {
  return {
    code,
    level,
    message,
    resource: { kind: resource.kind, namespace: resource.namespace, name: resource.name },
    ...(resource.file !== undefined ? { file: resource.file } : {}),
    ...(resource.line !== undefined ? { line: resource.line } : {}),
  };
}

function destinationsOf(spec: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>[] {
  return ['http', 'tcp', 'tls'].flatMap((kind) =>
    list(spec[kind]).flatMap((rule) => [
      ...list(record(rule).route).map((route) => record(record(route).destination)),
      ...(record(rule).mirror !== undefined ? [record(record(rule).mirror)] : []),
    ]),
  );
}

function virtualServiceReferences(
  vs: AnalysisResource,
  context: AnalysisContext,
  hosts: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const missingHosts = new Set<string>();
  for (const destination of destinationsOf(vs.spec)) {
    const host = text(destination.host);
    if (host === undefined) continue;
    const resolved = resolveHost(host, vs.namespace);
    if (!hosts.some((known) => hostMatches(known, resolved) || hostMatches(resolved, known))) {
      if (!missingHosts.has(resolved)) {
        missingHosts.add(resolved);
        findings.push(
          finding(
            vs,
            IST_CODES.REFERENCED_RESOURCE_NOT_FOUND,
            'Error',
            `host "${host}" is not a service the mesh knows (no Service or ServiceEntry has it)`,
          ),
        );
      }
      continue;
    }
    const subset = text(destination.subset);
    if (subset !== undefined && !subsetDefined(context.resources, resolved, subset)) {
      findings.push(
        finding(
          vs,
          IST_CODES.REFERENCED_RESOURCE_NOT_FOUND,
          'Error',
          `subset "${subset}" of "${host}" is not defined by any DestinationRule for that host`,
        ),
      );
    }
  }
  for (const gateway of list(vs.spec.gateways)) {
    if (typeof gateway !== 'string' || gateway === 'mesh') continue;
    const [namespace, name] = gateway.includes('/') ? gateway.split('/', 2) : [vs.namespace, gateway];
    const exists = context.resources.some(
      (r) => r.kind === 'Gateway' && r.name === name && r.namespace === namespace,
    );
    if (!exists) {
      findings.push(
        finding(vs, IST_CODES.REFERENCED_RESOURCE_NOT_FOUND, 'Error', `gateway "${gateway}" does not exist`),
      );
    }
  }
  return findings;
}

function subsetDefined(resources: readonly AnalysisResource[], host: string, subset: string): boolean {
  return resources.some(
    (r) =>
      r.kind === 'DestinationRule' &&
      typeof r.spec.host === 'string' &&
      resolveHost(r.spec.host, r.namespace) === host &&
      list(r.spec.subsets).some((s) => record(s).name === subset),
  );
}

function conflictingMeshHosts(resources: readonly AnalysisResource[]): Finding[] {
  const owners = new Map<string, AnalysisResource[]>();
  for (const vs of resources.filter((r) => r.kind === 'VirtualService')) {
    const gateways = list(vs.spec.gateways);
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    for (const host of list(vs.spec.hosts)) {
      if (typeof host !== 'string') continue;
      const resolved = resolveHost(host, vs.namespace);
      owners.set(resolved, [...(owners.get(resolved) ?? []), vs]);
    }
  }
  const findings: Finding[] = [];
  for (const [host, services] of owners) {
    const distinct = [...new Map(services.map((vs) => [`${vs.namespace}/${vs.name}`, vs])).values()];
    if (distinct.length < 2) continue;
    const names = distinct.map((vs) => `${vs.namespace}/${vs.name}`).join(',');
    for (const vs of distinct) {
      findings.push(
        finding(
          vs,
          IST_CODES.CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS,
          'Error',
          `VirtualServices ${names} all route host "${host}" for sidecars (mesh); which one wins is not defined`,
        ),
      );
    }
  }
  return findings;
}

const SELECTING_KINDS = new Set([
  'AuthorizationPolicy',
  'PeerAuthentication',
  'RequestAuthentication',
  'Sidecar',
]);

function selectorsWithoutWorkloads(
  resources: readonly AnalysisResource[],
  workloads: readonly AnalysisWorkload[],
): Finding[] {
  return resources.flatMap((resource) => {
    if (!SELECTING_KINDS.has(resource.kind)) return [];
    const selector = record(
      resource.kind === 'Sidecar' ? resource.spec.workloadSelector : resource.spec.selector,
    );
    const labels = stringRecord(resource.kind === 'Sidecar' ? selector.labels : selector.matchLabels);
    if (Object.keys(labels).length === 0) return [];
    const selects = workloads.some(
      (w) =>
        w.namespace === resource.namespace && Object.entries(labels).every(([k, v]) => w.labels[k] === v),
    );
    if (selects) return [];
    const text = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return [
      finding(
        resource,
        IST_CODES.NO_MATCHING_WORKLOADS_FOUND,
        'Warning',
        `the selector ${text} selects no workload in namespace "${resource.namespace}"`,
      ),
    ];
  });
}
