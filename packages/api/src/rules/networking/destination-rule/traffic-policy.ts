// A DestinationRule traffic policy (top level, per subset and per port) and its tunnel settings.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkWildcardHost } from '../../common/host.ts';
import {
  checkPortAt,
  isPresent,
  isRecord,
  listAt,
  numberAt,
  recordAt,
  stringAt,
  type Obj,
} from '../value-checks.ts';
import { checkClientTls } from './client-tls.ts';
import { checkConnectionPool } from './connection-pool.ts';
import { checkLoadBalancer } from './load-balancer.ts';
import { checkOutlierDetection } from './outlier-detection.ts';

const POLICY_FIELDS = [
  'connectionPool',
  'loadBalancer',
  'outlierDetection',
  'tls',
  'portLevelSettings',
  'tunnel',
  'proxyProtocol',
  'retryBudget',
];
const PORT_POLICY_FIELDS = ['connectionPool', 'loadBalancer', 'outlierDetection', 'tls'];

function checkTunnel(ctx: RuleContext, tunnel: unknown, path: FieldPath): void {
  if (!isRecord(tunnel)) return;
  const protocol = stringAt(tunnel, 'protocol');
  if (protocol !== undefined && protocol !== '' && protocol !== 'CONNECT' && protocol !== 'POST') {
    ctx.error(
      NETWORKING_CODES.DR_TUNNEL_INVALID,
      [...path, 'protocol'],
      `"${protocol}" is not a tunnel protocol; use CONNECT (the default) or POST`,
    );
  }
  const host = stringAt(tunnel, 'targetHost');
  if (host !== undefined) {
    const problem = host.includes('*')
      ? `"${host}" is a wildcard; the tunnel needs one host name or IP`
      : checkWildcardHost(host);
    if (problem) ctx.error(COMMON_CODES.HOST_INVALID, [...path, 'targetHost'], problem);
  }
  checkPortAt(ctx, tunnel, 'targetPort', path);
}

function checkSettings(ctx: RuleContext, policy: Obj, path: FieldPath): void {
  checkConnectionPool(ctx, policy.connectionPool, [...path, 'connectionPool']);
  checkLoadBalancer(ctx, policy.loadBalancer, [...path, 'loadBalancer']);
  checkOutlierDetection(ctx, policy.outlierDetection, [...path, 'outlierDetection']);
  checkClientTls(ctx, policy.tls, [...path, 'tls']);
}

function checkPortPolicy(ctx: RuleContext, policy: Obj, path: FieldPath): void {
  const port = recordAt(policy, 'port');
  if (!port) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'port'],
      'is required: say which port these settings apply to, e.g. port: {number: 8080}',
    );
  } else if (port.number === undefined) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'port', 'number'],
      'is required: the port number, e.g. 8080',
    );
  } else {
    checkPortAt(ctx, port, 'number', [...path, 'port']);
  }
  if (!PORT_POLICY_FIELDS.some((key) => isPresent(policy, key))) {
    ctx.error(
      NETWORKING_CODES.DR_TRAFFIC_POLICY_EMPTY,
      path,
      'port settings need at least one of connectionPool, loadBalancer, outlierDetection or tls',
    );
    return;
  }
  checkSettings(ctx, policy, path);
}

function checkPortLevelSettings(ctx: RuleContext, list: readonly unknown[], path: FieldPath): void {
  const ports = new Set<number>();
  list.forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const at = [...path, index];
    checkPortPolicy(ctx, entry, at);
    const number = numberAt(recordAt(entry, 'port') ?? {}, 'number');
    if (number === undefined) return;
    if (ports.has(number)) {
      ctx.warn(
        COMMON_CODES.DUPLICATE_ENTRY,
        [...at, 'port', 'number'],
        `port ${number} already has settings in an earlier entry, which wins; merge the two entries`,
      );
    }
    ports.add(number);
  });
}

export function checkTrafficPolicy(ctx: RuleContext, policy: unknown, path: FieldPath): void {
  if (!isRecord(policy)) return;
  // A policy whose only keys are misspelled is already reported as unknown fields; "empty" would be noise.
  const onlyUnknownKeys =
    Object.keys(policy).length > 0 && !Object.keys(policy).some((key) => POLICY_FIELDS.includes(key));
  if (!onlyUnknownKeys && !POLICY_FIELDS.some((key) => isPresent(policy, key))) {
    ctx.error(
      NETWORKING_CODES.DR_TRAFFIC_POLICY_EMPTY,
      path,
      'trafficPolicy is empty; add connectionPool, loadBalancer, outlierDetection, tls or portLevelSettings, or remove it',
    );
    return;
  }
  if (isPresent(policy, 'tunnel') && isPresent(policy, 'proxyProtocol')) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'proxyProtocol'],
      'proxyProtocol cannot be used together with tunnel; remove one of them',
    );
  }
  checkSettings(ctx, policy, path);
  checkTunnel(ctx, policy.tunnel, [...path, 'tunnel']);
  checkPortLevelSettings(ctx, listAt(policy, 'portLevelSettings'), [...path, 'portLevelSettings']);
}
