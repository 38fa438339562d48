// Semantic rules for Sidecar: workload selector, ingress and egress listeners, outbound traffic policy.
import { COMMON_CODES, REGISTRY_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkLabels } from '../common/selector.ts';
import { isDns1123Label } from '../common/values.ts';
import { fqdnProblem } from './registry/fqdn.ts';
import { portNumberProblem } from './registry/port-number.ts';
import { isSet, listAt, numberAt, stringAt, structAt, type Struct } from './registry/read.ts';
import { checkSidecarEgress } from './registry/sidecar-egress.ts';
import { checkSidecarIngress } from './registry/sidecar-ingress.ts';

export const validateSidecar: KindValidator = (ctx, spec) => {
  const selector = structAt(spec.workloadSelector);
  if (selector) {
    checkLabels(ctx, selector.labels ?? {}, ['spec', 'workloadSelector', 'labels'], {
      emptyWarning:
        'workloadSelector has no labels, so this Sidecar applies to every workload in the namespace',
    });
  }
  if (
    listAt(spec.egress).length === 0 &&
    listAt(spec.ingress).length === 0 &&
    !isSet(spec.outboundTrafficPolicy) &&
    !isSet(spec.inboundConnectionPool)
  ) {
    ctx.error(
      COMMON_CODES.EMPTY_SPEC,
      ['spec'],
      'this Sidecar configures nothing; add egress, ingress, outboundTrafficPolicy or inboundConnectionPool',
    );
    return;
  }
  checkSidecarIngress(ctx, spec);
  checkSidecarEgress(ctx, spec);
  const policy = structAt(spec.outboundTrafficPolicy);
  if (policy) checkOutboundTrafficPolicy(ctx, policy);
};

function checkOutboundTrafficPolicy(ctx: RuleContext, policy: Struct): void {
  const proxy = structAt(policy.egressProxy);
  if (!proxy) return;
  const path = ['spec', 'outboundTrafficPolicy', 'egressProxy'];
  const code = REGISTRY_CODES.SIDECAR_EGRESS_PROXY_INVALID;
  const mode = stringAt(policy.mode) ?? 'REGISTRY_ONLY';
  if (mode !== 'ALLOW_ANY') {
    ctx.error(
      code,
      isSet(policy.mode) ? ['spec', 'outboundTrafficPolicy', 'mode'] : path,
      `egressProxy only applies to unknown destinations, which mode ${mode} blocks; set mode: ALLOW_ANY`,
    );
    return;
  }
  const host = stringAt(proxy.host) ?? '';
  const problem = fqdnProblem(host);
  if (problem)
    ctx.error(COMMON_CODES.HOST_INVALID, [...path, 'host'], `${problem}; egressProxy.host names one service`);
  const subset = stringAt(proxy.subset);
  if (subset && !isDns1123Label(subset)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      [...path, 'subset'],
      `"${subset}" is not a subset name; use lower-case letters, digits and "-"`,
    );
  }
  const port = structAt(proxy.port);
  if (!port) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'port'],
      'egressProxy needs a port, e.g. port: {number: 80}',
    );
    return;
  }
  const number = numberAt(port.number);
  const portProblem = number === undefined ? undefined : portNumberProblem(number);
  if (portProblem) ctx.error(COMMON_CODES.PORT_INVALID, [...path, 'port', 'number'], portProblem);
}
