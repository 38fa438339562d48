// Builds the translator's ProxyNode from the xDS Node a proxy (Envoy, Heddle's proxy, a gRPC client) announces.
import type { JsonObject } from '@bufbuild/protobuf';
import type { ProxyNode, ProxyRole } from '@heddle/translate';
import type { Node } from '@heddle/xds';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import {
  flattenMetadata,
  metadataLabels,
  metadataString,
  NODE_METADATA_KEYS as KEYS,
} from './node-metadata.ts';

interface NodeIdParts {
  readonly role: ProxyRole;
  readonly ip: string;
  readonly workload?: string;
  readonly namespace?: string;
}

/**
 * Istio's node id is `<role>~<ip>~<pod>.<namespace>~<namespace>.svc.<domain>`; metadata wins over what the id
 * says. Proxyless gRPC clients send any id and little metadata: they become sidecars in `default` (or the
 * namespace their NAMESPACE says), named after their id.
 */
export function proxyNodeFromXds(node: Node): ProxyNode {
  if (node.id === '') invalid('the xDS node has no id');
  const metadata: JsonObject = node.metadata ?? {};
  const parts = parseNodeId(node.id);
  const labels = metadataLabels(metadata, KEYS.LABELS);
  const ips = metadataString(metadata, KEYS.INSTANCE_IPS)
    ?.split(',')
    .map((ip) => ip.trim())
    .filter((ip) => ip !== '');
  const capture = readCapture(metadataString(metadata, KEYS.CAPTURE));
  const outboundPort = readPort(metadataString(metadata, KEYS.OUTBOUND_PORT), KEYS.OUTBOUND_PORT);
  const appPortsText = metadataString(metadata, KEYS.APP_PORTS);
  const version = metadataString(metadata, KEYS.ISTIO_VERSION) ?? userAgentVersion(node);
  return {
    id: node.id,
    role: parts?.role ?? 'sidecar',
    namespace: metadataString(metadata, KEYS.NAMESPACE) ?? parts?.namespace ?? 'default',
    labels,
    serviceAccount: metadataString(metadata, KEYS.SERVICE_ACCOUNT) ?? 'default',
    workloadName: metadataString(metadata, KEYS.WORKLOAD_NAME) ?? parts?.workload ?? labels.app ?? node.id,
    ipAddresses: ips && ips.length > 0 ? ips : parts && parts.ip !== '' ? [parts.ip] : [],
    capture,
    ...(outboundPort !== undefined ? { outboundPort } : {}),
    ...(appPortsText !== undefined ? { appPorts: parseAppPorts(appPortsText) } : {}),
    ...(version !== undefined ? { version } : {}),
    metadata: flattenMetadata(metadata),
  };
}

function parseNodeId(id: string): NodeIdParts | undefined {
  const parts = id.split('~');
  if (parts.length !== 4) return undefined;
  const [role, ip = '', podAndNamespace = ''] = parts;
  if (role !== 'sidecar' && role !== 'router') return undefined;
  const dot = podAndNamespace.lastIndexOf('.');
  // Namespaces are DNS labels without dots, so the last dot separates pod and namespace.
  if (dot <= 0 || dot === podAndNamespace.length - 1) return { role, ip };
  return { role, ip, workload: podAndNamespace.slice(0, dot), namespace: podAndNamespace.slice(dot + 1) };
}

function readCapture(value: string | undefined): ProxyNode['capture'] {
  if (value === undefined) return 'transparent';
  if (value === 'transparent' || value === 'explicit') return value;
  return invalid(`${KEYS.CAPTURE} must be "transparent" or "explicit", not "${value}"`);
}

function readPort(value: string | undefined, key: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    invalid(`${key} must be a port number (1-65535), not "${value}"`);
  return port;
}

/** `listen=app,listen=app`, e.g. `9080=19080,9443=19443`. */
function parseAppPorts(text: string): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const [listen, app, extra] = entry.split('=').map((part) => part.trim());
    if (extra !== undefined || listen === undefined || app === undefined)
      invalid(`${KEYS.APP_PORTS} entries are "listen=app", not "${entry}"`);
    const listenPort = readPort(listen, KEYS.APP_PORTS) as number;
    ports[String(listenPort)] = readPort(app, KEYS.APP_PORTS) as number;
  }
  return ports;
}

function userAgentVersion(node: Node): string | undefined {
  const version = node.userAgentVersionType;
  return version.case === 'userAgentVersion' && version.value !== '' ? version.value : undefined;
}

function invalid(message: string): never {
  throw new ControlPlaneError(CONTROL_PLANE_CODES.XDS_INVALID_NODE, message);
}
