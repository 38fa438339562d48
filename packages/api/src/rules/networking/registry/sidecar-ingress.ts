// Sidecar ingress listeners: a port each, unique port numbers, where traffic is forwarded, and the TLS
// settings a sidecar can terminate.
import { COMMON_CODES, REGISTRY_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isValidPort } from '../../common/values.ts';
import { isHttpProtocol, isTlsProtocol } from './protocol.ts';
import { isSet, isStruct, listAt, numberAt, stringAt, structAt, type Struct } from './read.ts';
import { checkBindIp, checkSidecarPort } from './sidecar-port.ts';
import { isUnixAddress, unixAddressProblem } from './unix-address.ts';

const LOOPBACK_OR_ANY = new Set(['', '127.0.0.1', '0.0.0.0', '::1', '::']);
const ENDPOINT_FORMS = '127.0.0.1:PORT, [::1]:PORT, 0.0.0.0:PORT, [::]:PORT or unix:///path';

export function checkSidecarIngress(ctx: RuleContext, spec: Struct): void {
  const numbers = new Set<number>();
  listAt(spec.ingress).forEach((raw, index) => {
    if (!isStruct(raw)) return;
    const path = ['spec', 'ingress', index];
    const port = structAt(raw.port);
    if (!port) return; // the schema reports the missing port
    checkSidecarPort(ctx, port, [...path, 'port'], { allowZero: false });
    checkBindIp(ctx, raw.bind, [...path, 'bind']);
    const number = numberAt(port.number);
    if (number !== undefined) {
      if (numbers.has(number)) {
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          [...path, 'port', 'number'],
          `another ingress listener already uses port ${number}; ports must be unique`,
        );
      }
      numbers.add(number);
    }
    const endpoint = stringAt(raw.defaultEndpoint);
    if (endpoint) {
      const problem = defaultEndpointProblem(endpoint);
      if (problem)
        ctx.error(REGISTRY_CODES.SIDECAR_DEFAULT_ENDPOINT_INVALID, [...path, 'defaultEndpoint'], problem);
    }
    const protocol = stringAt(port.protocol) ?? '';
    const tls = structAt(raw.tls);
    if (tls) checkIngressTls(ctx, tls, protocol, [...path, 'tls']);
    const pool = structAt(raw.connectionPool);
    if (pool && isSet(pool.http) && !isHttpProtocol(protocol)) {
      ctx.warn(
        REGISTRY_CODES.SIDECAR_HTTP_POOL_NON_HTTP,
        [...path, 'connectionPool', 'http'],
        `port ${number ?? '?'} is not an HTTP port (protocol ${protocol || 'unset'}), so only the tcp connection pool settings apply`,
      );
    }
  });
}

function defaultEndpointProblem(endpoint: string): string | undefined {
  if (isUnixAddress(endpoint)) return unixAddressProblem(endpoint);
  const split = splitHostPort(endpoint);
  if (!split) return `"${endpoint}" is not host:port; write ${ENDPOINT_FORMS}`;
  if (!LOOPBACK_OR_ANY.has(split.host)) {
    return `"${endpoint}" forwards to ${split.host}, but a sidecar forwards only to the workload itself; write ${ENDPOINT_FORMS}`;
  }
  const port = /^\d+$/.test(split.port) ? Number(split.port) : NaN;
  if (!isValidPort(port)) return `"${split.port}" is not a port number; use 1 to 65535`;
  return undefined;
}

function splitHostPort(value: string): { host: string; port: string } | undefined {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0 || value[close + 1] !== ':') return undefined;
    return { host: value.slice(1, close), port: value.slice(close + 2) };
  }
  const colon = value.indexOf(':');
  if (colon < 0 || value.indexOf(':', colon + 1) >= 0) return undefined;
  return { host: value.slice(0, colon), port: value.slice(colon + 1) };
}

function checkIngressTls(ctx: RuleContext, tls: Struct, protocol: string, path: FieldPath): void {
  const code = REGISTRY_CODES.SIDECAR_INGRESS_TLS_INVALID;
  const unsupported: ReadonlyArray<readonly [string, string]> = [
    ['subjectAltNames', 'subjectAltNames is not supported on sidecar ingress TLS; remove it'],
    ['httpsRedirect', 'httpsRedirect is not supported on a sidecar; remove it'],
    [
      'credentialName',
      'credentialName is not supported on a sidecar; use serverCertificate and privateKey files',
    ],
    [
      'credentialNames',
      'credentialNames is not supported on a sidecar; use serverCertificate and privateKey files',
    ],
    [
      'tlsCertificates',
      'tlsCertificates is not supported on a sidecar; use serverCertificate and privateKey files',
    ],
  ];
  for (const [field, message] of unsupported) {
    const value = tls[field];
    if (
      value === true ||
      (Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value !== '')
    ) {
      ctx.error(code, [...path, field], message);
    }
  }
  const mode = stringAt(tls.mode);
  if (mode === 'ISTIO_MUTUAL' || mode === 'AUTO_PASSTHROUGH') {
    ctx.error(
      code,
      [...path, 'mode'],
      `mode ${mode} cannot be used on sidecar ingress TLS; use SIMPLE, MUTUAL or OPTIONAL_MUTUAL (mesh mutual TLS needs no setting here)`,
    );
  }
  if (!isTlsProtocol(protocol)) {
    ctx.error(
      code,
      path,
      `TLS settings need an HTTPS or TLS port (this port's protocol is ${protocol || 'unset'}); set protocol: HTTPS or TLS, or remove tls`,
    );
  }
}
