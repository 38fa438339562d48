// `--set path=value` as istioctl reads it: a path into the IstioOperator spec (`meshConfig.accessLogFile`,
// `components.pilot.k8s.replicaCount`, `components.ingressGateways[0].enabled`,
// `components.ingressGateways[name:istio-ingressgateway].enabled`) and a scalar value.
import { UsageError } from '../usage-error.ts';

export type PathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'select'; readonly field: string; readonly value: string };

export interface SetOverride {
  /** As typed, for messages. */
  readonly text: string;
  readonly path: readonly PathStep[];
  readonly value: unknown;
}

const HINT =
  'Give --set path=value with a path into the IstioOperator spec, e.g. --set meshConfig.accessLogFile=/dev/stdout or --set components.ingressGateways[0].enabled=false.';
const STEP = /^([A-Za-z0-9_-]+)((?:\[[^\]]+\])*)$/;

export function parseSetOverride(text: string): SetOverride {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new UsageError(`invalid --set '${text}': missing '='`, HINT);
  const rawPath = text.slice(0, equals).replace(/^spec\./, '');
  const path: PathStep[] = [];
  for (const part of rawPath.split('.')) {
    const match = STEP.exec(part);
    if (!match) throw new UsageError(`invalid --set path '${rawPath}'`, HINT);
    path.push({ kind: 'key', key: match[1] ?? part });
    for (const bracket of (match[2] ?? '').matchAll(/\[([^\]]+)\]/g)) {
      const inner = bracket[1] ?? '';
      const colon = inner.indexOf(':');
      if (/^\d+$/.test(inner)) path.push({ kind: 'index', index: Number(inner) });
      else if (colon > 0)
        path.push({ kind: 'select', field: inner.slice(0, colon), value: inner.slice(colon + 1) });
      else
        throw new UsageError(
          `invalid --set path '${rawPath}': [${inner}] is not an index or key:value`,
          HINT,
        );
    }
  }
  return { text, path, value: parseScalar(text.slice(equals + 1)) };
}

/** true/false and numbers become booleans and numbers, as istioctl reads them; the rest stays a string. */
function parseScalar(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value) && String(Number(value)) === value) return Number(value);
  return value;
}

type Tree = Record<string, unknown>;

/** A copy of `spec` with every override set, creating maps and list entries on the way. */
export function applySetOverrides(spec: Readonly<Tree>, overrides: readonly SetOverride[]): Tree {
  const root = structuredClone(spec) as Tree;
  for (const override of overrides) setAt(root, override);
  return root;
}

function setAt(root: Tree, override: SetOverride): void {
  let current: unknown = root;
  const steps = override.path;
  steps.forEach((step, position) => {
    const last = position === steps.length - 1;
    const next = steps[position + 1];
    const fresh = (): unknown => (next?.kind === 'key' ? {} : []);
    if (step.kind === 'key') {
      if (!isTree(current)) throw notAMap(override);
      if (last) current[step.key] = override.value;
      else {
        if (!isTree(current[step.key]) && !Array.isArray(current[step.key])) current[step.key] = fresh();
        current = current[step.key];
      }
      return;
    }
    if (!Array.isArray(current)) throw notAMap(override);
    const list: unknown[] = current;
    let index: number;
    if (step.kind === 'index') index = step.index;
    else {
      index = list.findIndex((entry) => isTree(entry) && String(entry[step.field]) === step.value);
      if (index < 0) {
        list.push({ [step.field]: step.value });
        index = list.length - 1;
      }
    }
    while (list.length <= index) list.push(next?.kind === 'key' || last ? {} : []);
    if (last) list[index] = override.value;
    else {
      if (!isTree(list[index]) && !Array.isArray(list[index])) list[index] = fresh();
      current = list[index];
    }
  });
}

function notAMap(override: SetOverride): UsageError {
  return new UsageError(
    `--set ${override.text}: the path goes through a value that is not a map or a list`,
    HINT,
  );
}

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
