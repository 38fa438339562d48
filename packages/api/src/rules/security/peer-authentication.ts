// Semantic rules for PeerAuthentication: selector, and port-level mTLS only on selected workloads.
import { COMMON_CODES, SECURITY_CODES } from '../../findings/codes.ts';
import type { KindValidator } from '../../validate/rule-context.ts';
import { checkLabels } from '../common/selector.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const validatePeerAuthentication: KindValidator = (ctx, spec) => {
  const selector = isRecord(spec.selector) ? spec.selector : undefined;
  const labels = selector?.matchLabels;
  if (selector) {
    if (labels === undefined || labels === null) {
      ctx.warn(
        COMMON_CODES.SELECTOR_EMPTY,
        ['spec', 'selector'],
        'the selector has no matchLabels, so this policy applies to the whole namespace; add labels or remove the selector',
      );
    } else {
      checkLabels(ctx, labels, ['spec', 'selector', 'matchLabels'], {
        emptyWarning:
          'matchLabels is empty, so this policy applies to the whole namespace; add labels or remove the selector',
      });
    }
  }

  if (!isRecord(spec.portLevelMtls)) return;
  const hasLabels = isRecord(labels) && Object.keys(labels).length > 0;
  if (!hasLabels && Object.keys(spec.portLevelMtls).length > 0) {
    ctx.error(
      SECURITY_CODES.PEER_AUTHN_PORT_MTLS_NEEDS_SELECTOR,
      ['spec', 'portLevelMtls'],
      'port-level mTLS needs a workload selector, because port numbers only mean something for specific workloads; add "selector.matchLabels" or move the mode to "mtls"',
    );
  }
  for (const port of Object.keys(spec.portLevelMtls)) {
    // These are the workload's own (target) ports, written as map keys.
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      ctx.error(
        COMMON_CODES.PORT_INVALID,
        ['spec', 'portLevelMtls', port],
        `"${port}" is not a port; the keys of portLevelMtls are port numbers from 1 to 65535`,
      );
    }
  }
};
