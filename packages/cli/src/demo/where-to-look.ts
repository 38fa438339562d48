// Where to look once the demo has run: each proxy's metrics URL, the commands that inspect the mesh (with the
// control plane's address filled in), the gateway's URLs, the demo CA, the traces and the logs.
import { dataPaths } from '../up/data-home.ts';
import { GATEWAY_NAMESPACE, GATEWAY_WORKLOAD } from '../up/gateway-bootstrap.ts';
import { SHOP_HOST } from './demo-certificate.ts';
import { demoPaths } from './demo-paths.ts';
import type { DemoPlan } from './demo-plan.ts';
import type { Where } from './demo-summary.ts';
import { DEMO_NAMESPACE } from './demo-workloads.ts';
import type { WorkloadPorts } from './workload-ports.ts';

/** Each proxy's Prometheus endpoint: on the gateway's admin port, and on each sidecar's. */
export function metricsUrlsOf(
  plan: DemoPlan,
  ports: ReadonlyMap<string, WorkloadPorts>,
): Record<string, string> {
  const urls: Record<string, string> = {
    [`${GATEWAY_WORKLOAD}.${GATEWAY_NAMESPACE}`]: `http://${plan.host}:${plan.gatewayAdminPort}/stats/prometheus`,
  };
  for (const [name, { adminPort }] of ports)
    if (adminPort > 0)
      urls[`${name}.${DEMO_NAMESPACE}`] = `http://${plan.host}:${adminPort}/stats/prometheus`;
  return urls;
}

export function whereToLook(plan: DemoPlan, controlPlaneUrl: string, keep: boolean): Where {
  const files = demoPaths(plan.dataDir);
  const cp = `--control-plane ${controlPlaneUrl}`;
  const https = `https://${SHOP_HOST}:${plan.gatewayHttpsPort}`;
  const commands = [
    `heddle proxy-status ${cp}`,
    `heddle proxy-config route ${GATEWAY_WORKLOAD}.${GATEWAY_NAMESPACE} ${cp}`,
    `heddle proxy-config cluster frontend.${DEMO_NAMESPACE} --fqdn product ${cp}`,
    `heddle x describe service product.${DEMO_NAMESPACE} ${cp}`,
    `curl --cacert ${files.caCertificate} --resolve ${SHOP_HOST}:${plan.gatewayHttpsPort}:${plan.host} ${https}/api/products/1`,
    keep
      ? `heddle down --data-dir ${plan.dataDir}`
      : 'heddle demo --keep   # to leave the mesh running and try these',
  ];
  return {
    controlPlane: controlPlaneUrl,
    gatewayHttps: https,
    gatewayHttp: `http://${SHOP_HOST}:${plan.gatewayHttpPort}`,
    caCertificate: files.caCertificate,
    logs: dataPaths(plan.dataDir).logs,
    traces: `${controlPlaneUrl}/api/v2/traces?limit=10`,
    dashboard: `${controlPlaneUrl}/dashboard/`,
    commands,
  };
}
