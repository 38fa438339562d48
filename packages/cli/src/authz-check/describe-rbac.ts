// Short, readable text for Envoy RBAC permissions and principals as a config dump writes them (proto3 JSON),
// e.g. `from: principal "spiffe://cluster.local/ns/shop/sa/web"; to: :method "GET" or "POST"`.
import { at, integer, list, record, text } from '../proxy-config/json-fields.ts';

function stringMatch(matcher: unknown): string {
  const exact = text(matcher, 'exact');
  if (exact !== undefined) return `"${exact}"`;
  const prefix = text(matcher, 'prefix');
  if (prefix !== undefined) return `"${prefix}*"`;
  const suffix = text(matcher, 'suffix');
  if (suffix !== undefined) return `"*${suffix}"`;
  const regex = text(matcher, 'safeRegex', 'regex');
  if (regex === '.+') return 'present';
  if (regex !== undefined) return `~/${regex}/`;
  const contains = text(matcher, 'contains');
  return contains !== undefined ? `contains "${contains}"` : '?';
}

function cidr(value: unknown): string {
  return `${text(value, 'addressPrefix') ?? '?'}/${integer(value, 'prefixLen') ?? 0}`;
}

function header(value: unknown): string {
  const name = text(value, 'name') ?? '?';
  if (at(value, 'presentMatch') === true) return `${name} present`;
  const matched = stringMatch(at(value, 'stringMatch'));
  return at(value, 'invertMatch') === true ? `${name} not ${matched}` : `${name} ${matched}`;
}

function metadataValue(value: unknown): string {
  const single = at(value, 'stringMatch');
  if (single !== undefined) return stringMatch(single);
  const element = at(value, 'listMatch', 'oneOf', 'stringMatch');
  if (element !== undefined) return `has ${stringMatch(element)}`;
  const either = list(value, 'orMatch', 'valueMatchers')[0];
  return either !== undefined ? metadataValue(either) : at(value, 'presentMatch') === true ? 'present' : '?';
}

function metadata(value: unknown): string {
  const path = list(value, 'path')
    .map((segment) => text(segment, 'key') ?? '?')
    .join('.');
  const filter = text(value, 'filter');
  const key = filter === 'istio_authn' ? path : `${filter ?? '?'}[${path}]`;
  return `${key} ${metadataValue(at(value, 'value'))}`;
}

function join(parts: readonly string[], word: string): string {
  const present = parts.filter((p) => p !== '');
  if (present.length <= 1) return present[0] ?? '';
  return present.map((p) => (p.includes(' and ') || p.includes(' or ') ? `(${p})` : p)).join(` ${word} `);
}

/** What a permission asks of the request; '' for "anything". */
export function describePermission(value: unknown): string {
  const rule = record(value) ?? {};
  if (rule.any === true) return '';
  if (rule.andRules !== undefined) return join(list(rule.andRules, 'rules').map(describePermission), 'and');
  if (rule.orRules !== undefined) return join(list(rule.orRules, 'rules').map(describePermission), 'or');
  if (rule.notRule !== undefined) return `not (${describePermission(rule.notRule) || 'anything'})`;
  if (rule.header !== undefined) return header(rule.header);
  if (rule.urlPath !== undefined) return `path ${stringMatch(at(rule.urlPath, 'path'))}`;
  if (rule.destinationPort !== undefined) return `port ${integer(rule, 'destinationPort') ?? '?'}`;
  if (rule.destinationIp !== undefined) return `destination ${cidr(rule.destinationIp)}`;
  if (rule.requestedServerName !== undefined) return `sni ${stringMatch(rule.requestedServerName)}`;
  if (rule.metadata !== undefined) return metadata(rule.metadata);
  return '?';
}

/** Who a principal admits; '' for "anyone". */
export function describePrincipal(value: unknown): string {
  const id = record(value) ?? {};
  if (id.any === true) return '';
  if (id.andIds !== undefined) return join(list(id.andIds, 'ids').map(describePrincipal), 'and');
  if (id.orIds !== undefined) return join(list(id.orIds, 'ids').map(describePrincipal), 'or');
  if (id.notId !== undefined) return `not (${describePrincipal(id.notId) || 'anyone'})`;
  if (id.authenticated !== undefined) {
    const name = at(id.authenticated, 'principalName');
    return name === undefined ? 'authenticated' : `principal ${stringMatch(name)}`;
  }
  if (id.directRemoteIp !== undefined) return `source ip ${cidr(id.directRemoteIp)}`;
  if (id.sourceIp !== undefined) return `source ip ${cidr(id.sourceIp)}`;
  if (id.remoteIp !== undefined) return `remote ip ${cidr(id.remoteIp)}`;
  if (id.header !== undefined) return header(id.header);
  if (id.metadata !== undefined) return metadata(id.metadata);
  return '?';
}

/** `from: …; to: …`, or `everything` for a rule that matches every request. */
export function describeRbacPolicy(policy: unknown): string {
  const from = join(list(policy, 'principals').map(describePrincipal), 'or');
  const to = join(list(policy, 'permissions').map(describePermission), 'or');
  const parts = [...(from ? [`from: ${from}`] : []), ...(to ? [`to: ${to}`] : [])];
  return parts.length > 0 ? parts.join('; ') : 'everything';
}
