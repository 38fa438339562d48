// Semantic rules for Gateway (the admission webhook's checks): servers, hosts, ports, bind and TLS.
import { COMMON_CODES, NETWORKING_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkWildcardHost } from '../common/host.ts';
import { isIP } from '../common/ip.ts';
import { checkLabels } from '../common/selector.ts';
import { closestName, isDns1123Label, isDns1123Subdomain } from '../common/values.ts';
import { checkServerTls } from './gateway/server-tls.ts';
import { checkPortAt, isRecord, listAt, numberAt, recordAt, stringAt, type Obj } from './value-checks.ts';

const PROTOCOLS = [
  'HTTP',
  'HTTPS',
  'HTTP2',
  'GRPC',
  'GRPC-WEB',
  'HTTP_PROXY',
  'TCP',
  'TLS',
  'MONGO',
  'REDIS',
  'MYSQL',
  'UDP',
];
const UNIX_PREFIX = 'unix://';
// Namespace parts of a server host: any namespace, the Gateway's own, or none (used by Gateway API conversion).
const SPECIAL_NAMESPACES = ['*', '.', '~'];

function serverHostProblem(entry: string): string | undefined {
  let host = entry;
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const namespace = entry.slice(0, slash);
    host = entry.slice(slash + 1);
    if (namespace === '' || host === '')
      return `"${entry}" needs both parts of "namespace/host", e.g. "prod/*.example.com"`;
    if (!SPECIAL_NAMESPACES.includes(namespace) && !isDns1123Label(namespace))
      return `"${namespace}" is not a namespace; use "*", ".", "~" or a namespace name`;
    if (host.includes('/')) return `"${entry}" has more than one "/"; write "namespace/host"`;
  }
  return checkWildcardHost(host);
}

function checkName(ctx: RuleContext): void {
  const metadata = ctx.object.metadata;
  const name = isRecord(metadata) ? stringAt(metadata, 'name') : undefined;
  // Names that are not even subdomains were reported by the metadata checks.
  if (name !== undefined && isDns1123Subdomain(name) && !isDns1123Label(name)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      ['metadata', 'name'],
      `"${name}" cannot be referenced from a VirtualService ("namespace/name"); a Gateway name may only use lower-case letters, digits and "-", up to 63 characters`,
    );
  }
}

/** Checks the port and returns the protocol in upper case, or undefined when it is not one Heddle knows. */
function checkPort(ctx: RuleContext, port: Obj, unixBind: boolean, path: FieldPath): string | undefined {
  const raw = stringAt(port, 'protocol');
  const protocol = raw?.toUpperCase();
  if (raw !== undefined && protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    const suggestion = closestName(raw, PROTOCOLS);
    ctx.error(
      NETWORKING_CODES.GATEWAY_PROTOCOL_INVALID,
      [...path, 'protocol'],
      `"${raw}" is not a protocol a gateway serves; use HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TCP, TLS, MONGO, REDIS or MYSQL${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    );
  } else if (protocol === 'UDP') {
    ctx.warn(
      NETWORKING_CODES.GATEWAY_UDP_UNSUPPORTED,
      [...path, 'protocol'],
      'gateways do not proxy UDP, so this server is ignored; expose UDP services directly',
    );
  }
  if (!(unixBind && numberAt(port, 'number') === 0)) checkPortAt(ctx, port, 'number', path);
  const targetPort = numberAt(port, 'targetPort');
  if (targetPort !== undefined && targetPort > 0) {
    ctx.error(
      NETWORKING_CODES.GATEWAY_TARGET_PORT,
      [...path, 'targetPort'],
      'targetPort has no effect on a Gateway, which listens on port.number; remove targetPort',
    );
  }
  if (port.name === '') {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'name'],
      'is required: give the port a name, e.g. https',
    );
  }
  return protocol !== undefined && PROTOCOLS.includes(protocol) ? protocol : undefined;
}

function checkBind(ctx: RuleContext, server: Obj, path: FieldPath): void {
  const bind = stringAt(server, 'bind');
  if (bind === undefined || bind === '') return;
  if (bind.startsWith(UNIX_PREFIX)) {
    const socket = bind.slice(UNIX_PREFIX.length);
    if (!socket.startsWith('/') && !socket.startsWith('@')) {
      ctx.error(
        NETWORKING_CODES.GATEWAY_BIND_INVALID,
        [...path, 'bind'],
        `"${bind}" does not name a socket; write unix:///absolute/path or unix://@abstract-name`,
      );
    }
    const number = numberAt(recordAt(server, 'port') ?? {}, 'number');
    if (number !== undefined && number !== 0) {
      ctx.error(
        NETWORKING_CODES.GATEWAY_BIND_INVALID,
        [...path, 'port', 'number'],
        'a server bound to a unix socket has no TCP port; set port.number to 0',
      );
    }
  } else if (isIP(bind) === 0) {
    ctx.error(
      NETWORKING_CODES.GATEWAY_BIND_INVALID,
      [...path, 'bind'],
      `"${bind}" is not an IP address; bind takes an IP (e.g. 0.0.0.0) or unix:///path`,
    );
  }
}

function checkServer(ctx: RuleContext, server: Obj, path: FieldPath): void {
  if (Array.isArray(server.hosts) && server.hosts.length === 0) {
    ctx.error(
      NETWORKING_CODES.GATEWAY_HOSTS_REQUIRED,
      [...path, 'hosts'],
      'a server needs at least one host; use "*" to accept every host name',
    );
  }
  listAt(server, 'hosts').forEach((host, index) => {
    const problem = typeof host === 'string' ? serverHostProblem(host) : undefined;
    if (problem) ctx.error(COMMON_CODES.HOST_INVALID, [...path, 'hosts', index], problem);
  });
  const unixBind = stringAt(server, 'bind')?.startsWith(UNIX_PREFIX) ?? false;
  const port = recordAt(server, 'port');
  const protocol = port ? checkPort(ctx, port, unixBind, [...path, 'port']) : undefined;
  checkBind(ctx, server, path);
  checkServerTls(ctx, server, protocol, path);
}

export const validateGateway: KindValidator = (ctx, spec) => {
  checkName(ctx);
  checkLabels(ctx, spec.selector, ['spec', 'selector']);
  const servers = listAt(spec, 'servers');
  if (servers.length === 0) {
    ctx.error(
      NETWORKING_CODES.GATEWAY_SERVERS_REQUIRED,
      spec.servers === undefined ? ['spec'] : ['spec', 'servers'],
      'a Gateway needs at least one server: a port and the hosts it accepts',
    );
  }
  const portNames = new Set<string>();
  servers.forEach((server, index) => {
    if (!isRecord(server)) return;
    const path = ['spec', 'servers', index];
    checkServer(ctx, server, path);
    const name = stringAt(recordAt(server, 'port') ?? {}, 'name');
    if (name === undefined || name === '') return;
    if (portNames.has(name)) {
      ctx.error(
        COMMON_CODES.DUPLICATE_ENTRY,
        [...path, 'port', 'name'],
        `another server already uses the port name "${name}"; port names must be unique within a Gateway`,
      );
    }
    portNames.add(name);
  });
};
