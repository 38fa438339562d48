// The Telemetry resources that apply to one proxy, least specific first (root namespace, namespace, workload).
import type { Telemetry } from '@heddle/api';
import { workloadPolicies } from '../../security/policy/workload-policies.ts';
import type { TranslationContext } from '../../translate-proxy.ts';

const byName = (a: Telemetry, b: Telemetry): number =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

export function applicableTelemetries(ctx: TranslationContext): Telemetry[] {
  // Name order inside one scope keeps the result deterministic when a namespace has several.
  const sorted = [...ctx.index.snapshot.telemetries].sort(byName);
  return workloadPolicies(
    sorted,
    ctx.node,
    ctx.index.rootNamespace,
    (telemetry) => telemetry.spec.selector?.matchLabels,
  ).map((scoped) => scoped.policy);
}

export function telemetryRef(telemetry: Telemetry): string {
  return `Telemetry ${telemetry.metadata.namespace ?? 'default'}/${telemetry.metadata.name}`;
}
