// Checks for ConfigMaps the mesh reads: `istio` (its `mesh` key is a meshConfig) and the sidecar injector's;
// every other ConfigMap is application data and is ignored.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkMeshConfigText } from '../../mesh/check-mesh-config-text.ts';
import { checkString, checkUnknownKeys, isRecord } from '../../mesh/field-checks.ts';

const CONTROL_PLANE_NAMESPACE = 'istio-system';

export const validateConfigMap: KindValidator = (ctx, data) => {
  const metadata = isRecord(ctx.object.metadata) ? ctx.object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (name === 'istio' || (/^istio-[a-z0-9-]+$/.test(name) && ('mesh' in data || 'meshNetworks' in data))) {
    checkNamespace(ctx, metadata.namespace, name);
    checkMeshConfigMap(ctx, data);
  } else if (/^istio-sidecar-injector(-[a-z0-9-]+)?$/.test(name)) {
    checkNamespace(ctx, metadata.namespace, name);
    ctx.info(
      INSTALL_CODES.CONFIGMAP_INJECTOR_IGNORED,
      ['metadata', 'name'],
      'sidecar injection templates are a Kubernetes concern: "heddle run" starts sidecars itself outside Kubernetes; set sidecar resources with values.global.proxy.resources in an IstioOperator instead',
    );
  } else if (name === 'istio-ca-root-cert') {
    ctx.info(
      INSTALL_CODES.CONFIGMAP_NOT_MESH,
      ['metadata', 'name'],
      'istio-ca-root-cert is written by the control plane, not by users; Heddle distributes its trust bundle itself, so this ConfigMap is ignored',
    );
  } else {
    ctx.info(
      INSTALL_CODES.CONFIGMAP_NOT_MESH,
      ['metadata', 'name'],
      `ConfigMap "${name}" is not a mesh ConfigMap (only "istio" and "istio-sidecar-injector" are); ignored`,
    );
  }
};

function checkNamespace(ctx: RuleContext, namespace: unknown, name: string): void {
  if (typeof namespace !== 'string' || namespace === CONTROL_PLANE_NAMESPACE) return;
  ctx.warn(
    INSTALL_CODES.CONFIGMAP_WRONG_NAMESPACE,
    ['metadata', 'namespace'],
    `the control plane reads the "${name}" ConfigMap from its own namespace (${CONTROL_PLANE_NAMESPACE}); in "${namespace}" it has no effect`,
  );
}

function checkMeshConfigMap(ctx: RuleContext, data: Readonly<Record<string, unknown>>): void {
  checkUnknownKeys(ctx, data, ['data'], ['mesh', 'meshNetworks'], {
    level: 'Warning',
    guidance: {
      meshConfig:
        'the istio ConfigMap has no "meshConfig" key; the key is "mesh" (its value is the meshConfig YAML)',
    },
    owner: 'the istio ConfigMap',
  });
  if (data.meshNetworks !== undefined) {
    ctx.info(
      INSTALL_CODES.CONFIGMAP_MESH_NETWORKS_IGNORED,
      ['data', 'meshNetworks'],
      'meshNetworks describes Kubernetes clusters on separate networks joined by east-west gateways; Heddle does not use it (hosts of one mesh reach each other directly), so it is ignored',
    );
  }
  const mesh = data.mesh;
  if (mesh === undefined) {
    ctx.info(
      INSTALL_CODES.CONFIGMAP_MESH_MISSING,
      ['data'],
      'this istio ConfigMap has no "mesh" key, so the default mesh settings apply',
    );
    return;
  }
  if (isRecord(mesh)) {
    ctx.error(
      INSTALL_CODES.MESH_YAML_INVALID,
      ['data', 'mesh'],
      'ConfigMap values are strings: write the meshConfig as a block of text, "mesh: |" followed by the indented YAML',
    );
    return;
  }
  if (!checkString(ctx, mesh, ['data', 'mesh'])) return;
  checkMeshConfigText(ctx, mesh, ['data', 'mesh']);
}
