// values.pilot.env: the control-plane feature flags Heddle understands, and the ones that have no effect.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkMap, describeValue } from '../../mesh/field-checks.ts';
import { parseDurationMs } from '../common/duration.ts';

type FlagType = 'boolean' | 'duration' | 'count' | 'percent';

interface UsedFlag {
  readonly type: FlagType;
}

/** Flags Heddle's control plane reads, with the type their value must have. */
const USED_FLAGS: Readonly<Record<string, UsedFlag>> = {
  PILOT_DEBOUNCE_AFTER: { type: 'duration' },
  PILOT_DEBOUNCE_MAX: { type: 'duration' },
  PILOT_ENABLE_EDS_DEBOUNCE: { type: 'boolean' },
  PILOT_PUSH_THROTTLE: { type: 'count' },
  PILOT_TRACE_SAMPLING: { type: 'percent' },
  PILOT_ENABLE_WORKLOAD_ENTRY_AUTO_REGISTRATION: { type: 'boolean' },
  PILOT_ENABLE_WORKLOAD_ENTRY_HEALTHCHECKS: { type: 'boolean' },
  PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_OUTBOUND: { type: 'boolean' },
  PILOT_ENABLE_PROTOCOL_SNIFFING_FOR_INBOUND: { type: 'boolean' },
  PILOT_HTTP10: { type: 'boolean' },
  PILOT_SCOPE_GATEWAY_TO_NAMESPACE: { type: 'boolean' },
  PILOT_FILTER_GATEWAY_CLUSTER_CONFIG: { type: 'boolean' },
  PILOT_SKIP_VALIDATE_TRUST_DOMAIN: { type: 'boolean' },
  PILOT_JWT_ENABLE_REMOTE_JWKS: { type: 'boolean' },
  VERIFY_CERTIFICATE_AT_CLIENT: { type: 'boolean' },
  ENABLE_AUTO_SNI: { type: 'boolean' },
};

/** Flags Istio knows that change nothing in Heddle, and why. */
const NO_EFFECT_FLAGS: Readonly<Record<string, string>> = {
  EXTERNAL_ISTIOD:
    'describes an istiod serving a remote Kubernetes cluster; Heddle proxies reach the control plane directly in every mode',
  ENABLE_NATIVE_SIDECARS:
    'selects Kubernetes native sidecar containers; Heddle starts sidecars itself outside Kubernetes',
  PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES:
    'is a Kubernetes Service selection switch; Heddle always selects WorkloadEntries',
  PILOT_ENABLE_STATUS:
    'writes status to Kubernetes objects; Heddle reports status through "heddle proxy-status"',
  ISTIOD_CUSTOM_HOST:
    'adds names to the Kubernetes webhook certificate; Heddle issues its own serving certificate',
  INJECTION_WEBHOOK_CONFIG_NAME:
    'names the Kubernetes injection webhook; "heddle run" starts sidecars itself',
  VALIDATION_WEBHOOK_CONFIG_NAME: 'names the Kubernetes validation webhook; Heddle validates on apply',
  PILOT_ENABLE_CONFIG_DISTRIBUTION_TRACKING:
    'is deprecated in Istio; use "heddle proxy-status" to see what each proxy has',
};

export function checkPilotEnv(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (!checkMap(ctx, value, path)) return;
  for (const [name, flagValue] of Object.entries(value)) {
    const flagPath = [...path, name];
    if (flagValue !== null && typeof flagValue === 'object') {
      ctx.error(
        INSTALL_CODES.PILOT_ENV_INVALID,
        flagPath,
        `environment values are plain strings, numbers or booleans, not ${describeValue(flagValue)}`,
      );
      continue;
    }
    const noEffect = NO_EFFECT_FLAGS[name];
    if (noEffect) {
      ctx.info(
        INSTALL_CODES.PILOT_ENV_NO_EFFECT,
        flagPath,
        `${name} has no effect in Heddle: it ${noEffect}`,
      );
      continue;
    }
    const used = USED_FLAGS[name];
    if (!used) {
      ctx.info(
        INSTALL_CODES.PILOT_ENV_UNKNOWN,
        flagPath,
        `${name} is not a control-plane flag Heddle reads; it is ignored`,
      );
      continue;
    }
    const problem = flagProblem(used.type, flagValue);
    if (problem) ctx.error(INSTALL_CODES.PILOT_ENV_INVALID, flagPath, `${name} ${problem}`);
  }
}

function flagProblem(type: FlagType, value: unknown): string | undefined {
  const text = String(value);
  switch (type) {
    case 'boolean':
      return /^(true|false|1|0)$/i.test(text)
        ? undefined
        : `must be true or false, not ${describeValue(value)}`;
    case 'duration':
      return parseDurationMs(text) !== undefined
        ? undefined
        : `must be a duration such as "100ms" or "1s", not ${describeValue(value)}`;
    case 'count':
      return /^\d+$/.test(text) ? undefined : `must be a whole number, not ${describeValue(value)}`;
    case 'percent': {
      const number = Number(text);
      return text !== '' && Number.isFinite(number) && number >= 0 && number <= 100
        ? undefined
        : `must be a percentage between 0 and 100, not ${describeValue(value)}`;
    }
  }
}
