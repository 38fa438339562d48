// Sidecar egress listeners: one catch-all at most (last), unique ports and sockets, and `namespace/host`
// entries saying which services the workload may reach.
import { COMMON_CODES, REGISTRY_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkWildcardHost } from '../../common/host.ts';
import { isDns1123Label } from '../../common/values.ts';
import { isStruct, listAt, numberAt, stringAt, structAt, type Struct } from './read.ts';
import { checkBindIp, checkSidecarPort } from './sidecar-port.ts';
import { isUnixAddress, unixAddressProblem } from './unix-address.ts';

export function checkSidecarEgress(ctx: RuleContext, spec: Struct): void {
  const egress = listAt(spec.egress);
  const numbers = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  egress.forEach((raw, index) => {
    if (!isStruct(raw)) return;
    const path = ['spec', 'egress', index];
    const port = structAt(raw.port);
    if (!port) {
      if (catchAll) {
        ctx.error(
          REGISTRY_CODES.SIDECAR_EGRESS_CATCH_ALL,
          path,
          'only one egress listener may omit port (the catch-all); give this one a port or merge their hosts',
        );
      } else if (index !== egress.length - 1) {
        ctx.error(
          REGISTRY_CODES.SIDECAR_EGRESS_CATCH_ALL,
          path,
          'the egress listener without port is the catch-all and must be the last in the list; move it to the end',
        );
      }
      catchAll = true;
    } else {
      checkEgressPort(ctx, raw, port, path, numbers, sockets);
    }
    checkEgressHosts(ctx, raw.hosts, [...path, 'hosts']);
  });
}

function checkEgressPort(
  ctx: RuleContext,
  listener: Struct,
  port: Struct,
  path: FieldPath,
  numbers: Set<number>,
  sockets: Set<string>,
): void {
  checkSidecarPort(ctx, port, [...path, 'port'], { allowZero: true });
  const number = numberAt(port.number);
  const bind = stringAt(listener.bind) ?? '';
  if (number === 0) {
    if (!isUnixAddress(bind)) {
      ctx.error(
        REGISTRY_CODES.SIDECAR_UNIX_BIND,
        [...path, bind ? 'bind' : 'port'],
        'port 0 means a Unix domain socket listener, so bind must be unix:///path/to/socket',
      );
      return;
    }
    const problem = unixAddressProblem(bind);
    if (problem) ctx.error(REGISTRY_CODES.SIDECAR_UNIX_BIND, [...path, 'bind'], problem);
    const mode = stringAt(listener.captureMode);
    if (mode !== undefined && mode !== 'DEFAULT' && mode !== 'NONE') {
      ctx.error(
        REGISTRY_CODES.SIDECAR_UNIX_BIND,
        [...path, 'captureMode'],
        `traffic to a Unix domain socket cannot be captured with ${mode}; use captureMode DEFAULT or NONE`,
      );
    }
    if (sockets.has(bind)) {
      ctx.error(
        COMMON_CODES.DUPLICATE_ENTRY,
        [...path, 'bind'],
        `another egress listener already binds ${bind}`,
      );
    }
    sockets.add(bind);
    return;
  }
  checkBindIp(ctx, listener.bind, [...path, 'bind']);
  if (number === undefined || number < 0) return;
  if (numbers.has(number)) {
    ctx.error(
      COMMON_CODES.DUPLICATE_ENTRY,
      [...path, 'port', 'number'],
      `another egress listener already uses port ${number}; ports must be unique`,
    );
  }
  numbers.add(number);
}

function checkEgressHosts(ctx: RuleContext, hosts: unknown, path: FieldPath): void {
  if (!Array.isArray(hosts)) return; // a missing list is reported by the schema
  if (hosts.length === 0) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      path,
      'an egress listener needs at least one host, e.g. "./*" or "istio-system/*"',
    );
    return;
  }
  const byNamespace = new Map<string, Set<string>>();
  hosts.forEach((host: unknown, index) => {
    if (typeof host !== 'string') return;
    const at = [...path, index];
    const problem = egressHostProblem(host);
    if (problem) {
      ctx.error(REGISTRY_CODES.SIDECAR_EGRESS_HOST_INVALID, at, problem);
      return;
    }
    const slash = host.indexOf('/');
    const namespace = host.slice(0, slash) === '.' ? ctx.namespace : host.slice(0, slash);
    const name = host.slice(slash + 1);
    const names = byNamespace.get(namespace) ?? new Set<string>();
    byNamespace.set(namespace, names);
    const covered = name === '*' ? names.size > 0 : names.has(name) || names.has('*');
    if (covered) {
      ctx.warn(
        COMMON_CODES.DUPLICATE_ENTRY,
        at,
        `"${host}" repeats or overlaps an earlier host of namespace ${namespace}; keep the broadest one`,
      );
    }
    names.add(name);
  });
  if (byNamespace.get('*')?.has('*') && byNamespace.size > 1) {
    ctx.warn(
      COMMON_CODES.DUPLICATE_ENTRY,
      path,
      '"*/*" already selects every service in every namespace, so the other hosts add nothing; remove them or remove "*/*"',
    );
  }
}

function egressHostProblem(host: string): string | undefined {
  const slash = host.indexOf('/');
  if (slash < 0) {
    return `"${host}" must be namespace/dnsName, e.g. "./${host}" (this namespace) or "*/${host}" (any namespace)`;
  }
  const namespace = host.slice(0, slash);
  const name = host.slice(slash + 1);
  if (namespace === '' || name === '') {
    return `"${host}" needs both a namespace and a host name, e.g. "./*" or "istio-system/*"`;
  }
  if (namespace !== '*' && namespace !== '.' && namespace !== '~' && !isDns1123Label(namespace)) {
    return `"${namespace}" is not a namespace; use "*", ".", "~" or a namespace name`;
  }
  if (name === '*') return undefined;
  return checkWildcardHost(name, { allowIp: false });
}
