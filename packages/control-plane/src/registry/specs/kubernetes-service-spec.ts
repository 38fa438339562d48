// Minimal local view of a Kubernetes v1 Service spec, as far as the mesh reads it.
import {
  readCount,
  readList,
  readRecord,
  readString,
  readStringList,
  readStringMap,
} from '../read-fields.ts';

export interface KubernetesServicePortSpec {
  readonly name: string;
  readonly port: number;
  /** A number, or the name of a workload port. */
  readonly targetPort?: number | string;
  /** Transport: TCP (default), UDP or SCTP. */
  readonly protocol: string;
  readonly appProtocol?: string;
}

export interface KubernetesServiceSpec {
  /** ClusterIP (default), NodePort, LoadBalancer or ExternalName. */
  readonly type: string;
  /** Absent or empty: endpoints are not selected automatically, as in Kubernetes. */
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly KubernetesServicePortSpec[];
  /** clusterIPs, or clusterIP when that is all there is; `None` (headless) is dropped. */
  readonly clusterIPs: readonly string[];
  readonly headless: boolean;
  readonly externalName?: string;
}

export function readKubernetesServiceSpec(value: unknown): KubernetesServiceSpec {
  const spec = readRecord(value);
  const clusterIP = readString(spec.clusterIP);
  const ips = readStringList(spec.clusterIPs);
  const all = ips.length > 0 ? ips : clusterIP ? [clusterIP] : [];
  const externalName = readString(spec.externalName);
  return {
    type: readString(spec.type) ?? 'ClusterIP',
    selector: readStringMap(spec.selector),
    ports: readList(spec.ports).flatMap(readPort),
    clusterIPs: all.filter((ip) => ip !== 'None'),
    headless: all.includes('None'),
    ...(externalName !== undefined ? { externalName } : {}),
  };
}

function readPort(value: unknown): KubernetesServicePortSpec[] {
  const port = readRecord(value);
  const number = readCount(port.port);
  if (number === undefined) return [];
  const targetPort = readCount(port.targetPort) ?? readString(port.targetPort);
  const appProtocol = readString(port.appProtocol);
  return [
    {
      name: readString(port.name) ?? '',
      port: number,
      ...(targetPort !== undefined ? { targetPort } : {}),
      protocol: readString(port.protocol) ?? 'TCP',
      ...(appProtocol !== undefined ? { appProtocol } : {}),
    },
  ];
}
