// Where VirtualService rules send traffic: destinations (host, subset, port) and their weights.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkWildcardHost } from '../../common/host.ts';
import { isDns1123Label } from '../../common/values.ts';
import { checkPortAt, isRecord, numberAt, recordAt, stringAt } from '../value-checks.ts';
import { checkHeaderOperations } from './headers.ts';

/** A `destination` (also used by `mirror` and `mirrors[].destination`). */
export function checkDestination(ctx: RuleContext, destination: unknown, path: FieldPath): void {
  if (!isRecord(destination)) return;
  const host = stringAt(destination, 'host');
  if (host === '*') {
    ctx.error(
      COMMON_CODES.HOST_INVALID,
      [...path, 'host'],
      'a destination must name one service, not "*"; write its host name, e.g. reviews.default.svc.cluster.local',
    );
  } else if (host !== undefined) {
    const problem = checkWildcardHost(host);
    if (problem) ctx.error(COMMON_CODES.HOST_INVALID, [...path, 'host'], problem);
  }
  const subset = stringAt(destination, 'subset');
  if (subset !== undefined && !isDns1123Label(subset)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      [...path, 'subset'],
      subset === ''
        ? 'subset name is empty; name a subset of the DestinationRule or remove "subset"'
        : `"${subset}" is not a valid subset name; use lower-case letters, digits and "-" (as in the DestinationRule)`,
    );
  }
  const port = recordAt(destination, 'port');
  if (port) {
    if (port.number === undefined) {
      ctx.error(
        COMMON_CODES.PORT_INVALID,
        [...path, 'port'],
        'port needs a number, e.g. port: {number: 8080}',
      );
    } else {
      checkPortAt(ctx, port, 'number', [...path, 'port']);
    }
  }
}

/** The `route` list of an HTTP, TCP or TLS rule: each destination, its weight, and (HTTP) header operations. */
export function checkRouteDestinations(
  ctx: RuleContext,
  routes: readonly unknown[],
  path: FieldPath,
  options: { http: boolean },
): void {
  let total = 0;
  routes.forEach((route, index) => {
    if (!isRecord(route)) return;
    const at = [...path, index];
    checkDestination(ctx, route.destination, [...at, 'destination']);
    const weight = numberAt(route, 'weight');
    if (weight !== undefined && weight < 0) {
      ctx.error(
        NETWORKING_CODES.VS_WEIGHT_INVALID,
        [...at, 'weight'],
        `weight ${weight} is negative; use 0 or more (weights are relative shares of traffic)`,
      );
    } else if (weight !== undefined) {
      total += weight;
    }
    if (options.http) checkHeaderOperations(ctx, route.headers, [...at, 'headers']);
  });
  if (routes.length > 1 && total === 0) {
    ctx.error(
      NETWORKING_CODES.VS_WEIGHTS_ALL_ZERO,
      path,
      'with several destinations the weights decide the split, and they are all 0 or unset; give each destination a weight (for example 90 and 10)',
    );
  }
}
