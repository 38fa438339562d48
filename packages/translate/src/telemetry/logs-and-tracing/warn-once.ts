// Every HTTP connection manager of a proxy resolves the same Telemetry, so a problem is reported once per
// translation rather than once per listener.
import type { TranslationWarning } from '../../model/translation-output.ts';
import type { TranslationContext } from '../../translate-proxy.ts';

const reported = new WeakMap<TranslationContext, Set<string>>();

export function warnOnce(ctx: TranslationContext, warning: TranslationWarning): void {
  let seen = reported.get(ctx);
  if (!seen) {
    seen = new Set();
    reported.set(ctx, seen);
  }
  const key = `${warning.code}\u0000${warning.resource ?? ''}\u0000${warning.message}`;
  if (seen.has(key)) return;
  seen.add(key);
  ctx.warn(warning);
}
