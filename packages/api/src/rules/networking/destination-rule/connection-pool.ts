// Connection pool settings of a DestinationRule: limits, timeouts, TCP keepalive and HTTP/2 upgrade.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkDurationAt, isRecord, numberAt, recordAt, type Obj } from '../value-checks.ts';

const TCP_LIMITS = ['maxConnections'];
const HTTP_LIMITS = [
  'http1MaxPendingRequests',
  'http2MaxRequests',
  'maxRequestsPerConnection',
  'maxRetries',
  'maxConcurrentStreams',
];

function checkLimits(ctx: RuleContext, settings: Obj, keys: readonly string[], path: FieldPath): void {
  for (const key of keys) {
    const value = numberAt(settings, key);
    if (value !== undefined && value < 0) {
      ctx.error(
        NETWORKING_CODES.DR_LIMIT_NEGATIVE,
        [...path, key],
        `${value} is negative; limits are 0 or more (remove the field to keep the default)`,
      );
    }
  }
}

// The kernel takes keepalive times in whole seconds, and refuses 0.
function checkKeepaliveTime(ctx: RuleContext, keepalive: Obj, key: string, path: FieldPath): void {
  const ms = checkDurationAt(ctx, keepalive, key, path);
  if (ms === undefined) return;
  if (ms < 1000) {
    ctx.error(
      NETWORKING_CODES.DR_KEEPALIVE_INVALID,
      [...path, key],
      'keepalive times are applied in whole seconds, so this would be 0; use at least "1s"',
    );
  } else if (ms % 1000 !== 0) {
    ctx.warn(
      NETWORKING_CODES.DR_KEEPALIVE_INVALID,
      [...path, key],
      `keepalive times are applied in whole seconds, so this becomes ${Math.floor(ms / 1000)}s; write whole seconds`,
    );
  }
}

function checkTcp(ctx: RuleContext, tcp: Obj, path: FieldPath): void {
  checkLimits(ctx, tcp, TCP_LIMITS, path);
  for (const key of ['connectTimeout', 'idleTimeout', 'maxConnectionDuration'])
    checkDurationAt(ctx, tcp, key, path);
  const keepalive = recordAt(tcp, 'tcpKeepalive');
  if (!keepalive) return;
  const at = [...path, 'tcpKeepalive'];
  checkKeepaliveTime(ctx, keepalive, 'time', at);
  checkKeepaliveTime(ctx, keepalive, 'interval', at);
  const missing = ['time', 'interval'].filter((key) => keepalive[key] === undefined);
  if (missing.length > 0) {
    ctx.info(
      NETWORKING_CODES.DR_KEEPALIVE_DEFAULTS,
      at,
      `${missing.join(' and ')} not set, so the operating system's defaults apply (on Linux: probes start after 2 hours idle, then every 75s)`,
    );
  }
}

function checkHttp(ctx: RuleContext, http: Obj, path: FieldPath): void {
  checkLimits(ctx, http, HTTP_LIMITS, path);
  checkDurationAt(ctx, http, 'idleTimeout', path);
  if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'useClientProtocol'],
      'useClientProtocol keeps the HTTP version the client used, which contradicts h2UpgradePolicy: UPGRADE; remove one of them',
    );
  }
}

export function checkConnectionPool(ctx: RuleContext, pool: unknown, path: FieldPath): void {
  if (!isRecord(pool)) return;
  const tcp = recordAt(pool, 'tcp');
  const http = recordAt(pool, 'http');
  if (!tcp && !http) {
    ctx.error(
      NETWORKING_CODES.DR_CONNECTION_POOL_EMPTY,
      path,
      'connectionPool is empty; add tcp or http settings, or remove it',
    );
  }
  if (tcp) checkTcp(ctx, tcp, [...path, 'tcp']);
  if (http) checkHttp(ctx, http, [...path, 'http']);
}
