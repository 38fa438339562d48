// `--labels app=product,version=v2`: Kubernetes label syntax, checked before anything is registered.
import { UsageError } from '../usage-error.ts';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const HINT = 'Labels are key=value pairs separated by commas, e.g. --labels app=product,version=v2.';

export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const pair = entry.trim();
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if (equals < 0) throw new UsageError(`invalid label '${pair}': missing '='`, HINT);
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (!isLabelKey(key)) throw new UsageError(`invalid label key '${key}'`, HINT);
    if (!VALUE.test(value))
      throw new UsageError(
        `invalid value '${value}' for label ${key}`,
        'A label value is at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.',
      );
    labels[key] = value;
  }
  return labels;
}

/** `name` or `prefix/name`, as Kubernetes allows (`security.istio.io/tlsMode`). */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return NAME.test(key);
  return PREFIX.test(key.slice(0, slash)) && NAME.test(key.slice(slash + 1));
}
