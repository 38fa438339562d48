// Warnings for DestinationRule settings that cannot apply to the service as the registry knows it, or that
// Heddle does not translate; reported once per rule and service, never thrown.
import type { DestinationRule, TrafficPolicy } from '@heddle/api';
import type { MeshService } from '../model/service.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { ruleResource } from './destination.ts';

function policies(rule: DestinationRule): { where: string; policy: TrafficPolicy }[] {
  const list = rule.spec.trafficPolicy ? [{ where: 'trafficPolicy', policy: rule.spec.trafficPolicy }] : [];
  for (const subset of rule.spec.subsets ?? []) {
    if (subset.trafficPolicy) list.push({ where: `subset ${subset.name}`, policy: subset.trafficPolicy });
  }
  return list;
}

export function checkRule(ctx: TranslationContext, service: MeshService, rule: DestinationRule): void {
  const resource = ruleResource(rule);
  const ports = new Set(service.ports.map((p) => p.number));
  for (const { where, policy } of policies(rule)) {
    for (const entry of policy.portLevelSettings ?? []) {
      const port = entry.port?.number;
      if (port !== undefined && !ports.has(port)) {
        ctx.warn({
          code: 'HEDDLE_TRANSLATE_PORT_NOT_FOUND',
          message: `${where} has portLevelSettings for port ${port}, which ${service.hostname} does not have (ports: ${[...ports].join(', ') || 'none'})`,
          resource,
        });
      }
    }
    if (policy.tunnel) {
      ctx.warn({
        code: 'HEDDLE_TRANSLATE_UNSUPPORTED_FIELD',
        message: `${where}.tunnel is not supported by Heddle; traffic to ${service.hostname} is sent directly`,
        resource,
      });
    }
    if (policy.proxyProtocol) {
      ctx.warn({
        code: 'HEDDLE_TRANSLATE_UNSUPPORTED_FIELD',
        message: `${where}.proxyProtocol is not supported by Heddle; no PROXY header is sent to ${service.hostname}`,
        resource,
      });
    }
  }
  for (const subset of rule.spec.subsets ?? []) {
    const selected = service.endpoints.some((e) =>
      Object.entries(subset.labels ?? {}).every(([k, v]) => e.labels[k] === v),
    );
    if (!selected && service.resolution !== 'NONE') {
      ctx.warn({
        code: 'HEDDLE_TRANSLATE_SUBSET_EMPTY',
        message: `subset ${subset.name} selects no endpoint of ${service.hostname}; requests routed to it fail with 503 (no healthy upstream)`,
        resource,
      });
    }
  }
}
