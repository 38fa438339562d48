// `heddle manifest generate`: the Kubernetes objects an IstioOperator describes, for a later install on
// Kubernetes — per control plane and gateway a ServiceAccount, Deployment and Service, an HPA and a PDB when
// the IstioOperator sets them, and the meshConfig ConfigMap. Pure: the plan in, objects out.
import type { GatewayPlan, InstallPlan } from './install-plan.ts';
import {
  CONTROL_PLANE_NAMESPACE,
  meshConfigMapName,
  meshConfigText,
  revisionLabel,
} from './mesh-config-map.ts';

type Tree = Record<string, unknown>;
type Manifest = Tree;

/** The image the manifests name; Heddle's own image, tagged with the CLI version. */
export interface ManifestOptions {
  readonly image: string;
}

export function kubernetesManifests(plan: InstallPlan, options: ManifestOptions): Manifest[] {
  const suffix = plan.revision === '' ? '' : `-${plan.revision}`;
  const istiod = `istiod${suffix}`;
  const rev = revisionLabel(plan.revision);
  const pilotK8s = plan.controlPlane.k8s;
  const controlPlaneLabels = { app: 'istiod', istio: 'pilot', 'istio.io/rev': rev };
  const manifests: Manifest[] = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: meshConfigMapName(plan.revision),
        namespace: CONTROL_PLANE_NAMESPACE,
        labels: { 'istio.io/rev': rev },
      },
      data: { mesh: meshConfigText(plan) },
    },
    serviceAccount(istiod, CONTROL_PLANE_NAMESPACE, controlPlaneLabels),
    deployment({
      name: istiod,
      namespace: CONTROL_PLANE_NAMESPACE,
      labels: controlPlaneLabels,
      replicas: plan.controlPlane.requestedReplicas ?? 1,
      k8s: pilotK8s,
      container: {
        name: 'discovery',
        image: options.image,
        args: [
          'control',
          '--data-dir',
          '/var/lib/heddle',
          '--xds-address',
          '0.0.0.0:15010',
          '--http-address',
          '0.0.0.0:15014',
        ],
        ports: [
          { containerPort: 15010, name: 'grpc-xds', protocol: 'TCP' },
          { containerPort: 15012, name: 'tls-xds', protocol: 'TCP' },
          { containerPort: 15014, name: 'http-monitoring', protocol: 'TCP' },
        ],
        env: [
          { name: 'REVISION', value: rev },
          ...Object.entries(plan.controlPlane.env).map(([name, value]) => ({ name, value })),
        ],
        readinessProbe: { httpGet: { path: '/ready', port: 15014 }, periodSeconds: 3 },
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: istiod, namespace: CONTROL_PLANE_NAMESPACE, labels: controlPlaneLabels },
      spec: {
        selector: { app: 'istiod', 'istio.io/rev': rev },
        ports: [
          { name: 'grpc-xds', port: 15010, protocol: 'TCP' },
          { name: 'https-dns', port: 15012, protocol: 'TCP' },
          { name: 'http-monitoring', port: 15014, protocol: 'TCP' },
        ],
      },
    },
    ...autoscaling(istiod, CONTROL_PLANE_NAMESPACE, controlPlaneLabels, pilotK8s),
  ];
  for (const gateway of plan.gateways.filter((entry) => entry.enabled))
    manifests.push(...gatewayManifests(gateway, rev, options));
  return manifests;
}

function gatewayManifests(gateway: GatewayPlan, rev: string, options: ManifestOptions): Manifest[] {
  const labels = { ...gateway.labels, 'istio.io/rev': rev };
  const service = tree(gateway.k8s.service);
  // Istio's gateway Service ports when the IstioOperator lists none: 80 and 443 onto 8080 and 8443.
  const servicePorts =
    gateway.servicePorts.length > 0
      ? gateway.servicePorts
      : [
          { name: 'http2', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8443 },
        ];
  return [
    serviceAccount(`${gateway.name}-service-account`, gateway.namespace, labels),
    deployment({
      name: gateway.name,
      namespace: gateway.namespace,
      labels,
      replicas: integer(gateway.k8s.replicaCount) ?? integer(tree(gateway.k8s.hpaSpec).minReplicas) ?? 1,
      k8s: gateway.k8s,
      serviceAccountName: `${gateway.name}-service-account`,
      container: {
        name: 'istio-proxy',
        image: options.image,
        args: ['proxy', 'router'],
        ports: [
          ...servicePorts.map((port) => ({ containerPort: port.targetPort ?? port.port, protocol: 'TCP' })),
          { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
        ],
        readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 2 },
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: gateway.name,
        namespace: gateway.namespace,
        labels,
        ...(service.annotations !== undefined || gateway.k8s.serviceAnnotations !== undefined
          ? { annotations: tree(gateway.k8s.serviceAnnotations ?? service.annotations) }
          : {}),
      },
      spec: {
        type:
          typeof service.type === 'string'
            ? service.type
            : gateway.kind === 'ingress'
              ? 'LoadBalancer'
              : 'ClusterIP',
        selector: gateway.labels,
        ports: [
          { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
          ...servicePorts.map((port) => ({
            ...(port.name !== undefined ? { name: port.name } : {}),
            port: port.port,
            targetPort: port.targetPort ?? port.port,
            protocol: 'TCP',
          })),
        ],
      },
    },
    ...autoscaling(gateway.name, gateway.namespace, labels, gateway.k8s),
  ];
}

interface DeploymentInput {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly k8s: Readonly<Tree>;
  readonly serviceAccountName?: string;
  readonly container: Tree;
}

function deployment(input: DeploymentInput): Manifest {
  const { k8s } = input;
  const copied = (field: string): Tree => (k8s[field] !== undefined ? { [field]: k8s[field] } : {});
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: {
      // An HPA owns the replica count when there is one.
      ...(k8s.hpaSpec === undefined ? { replicas: input.replicas } : {}),
      selector: { matchLabels: input.labels },
      ...copied('strategy'),
      template: {
        metadata: {
          labels: input.labels,
          ...(k8s.podAnnotations !== undefined ? { annotations: k8s.podAnnotations } : {}),
        },
        spec: {
          serviceAccountName: input.serviceAccountName ?? input.name,
          ...copied('affinity'),
          ...copied('nodeSelector'),
          ...copied('tolerations'),
          ...copied('priorityClassName'),
          ...copied('securityContext'),
          containers: [
            {
              ...input.container,
              ...(k8s.resources !== undefined ? { resources: k8s.resources } : {}),
              ...(Array.isArray(k8s.env)
                ? {
                    env: [
                      ...((input.container.env as unknown[] | undefined) ?? []),
                      ...(k8s.env as unknown[]),
                    ],
                  }
                : {}),
            },
          ],
        },
      },
    },
  };
}

function serviceAccount(name: string, namespace: string, labels: Readonly<Record<string, string>>): Manifest {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } };
}

function autoscaling(
  name: string,
  namespace: string,
  labels: Readonly<Record<string, string>>,
  k8s: Readonly<Tree>,
): Manifest[] {
  const manifests: Manifest[] = [];
  const hpa = k8s.hpaSpec;
  if (hpa !== undefined) {
    const spec = tree(hpa);
    manifests.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: integer(spec.minReplicas) ?? 1,
        maxReplicas: integer(spec.maxReplicas) ?? Math.max(5, integer(spec.minReplicas) ?? 1),
        metrics: Array.isArray(spec.metrics)
          ? spec.metrics
          : [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
              },
            ],
      },
    });
  }
  const pdb = k8s.podDisruptionBudget;
  if (pdb !== undefined) {
    manifests.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace, labels },
      spec: { ...tree(pdb), selector: { matchLabels: labels } },
    });
  }
  return manifests;
}

function tree(value: unknown): Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Tree) : {};
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}
