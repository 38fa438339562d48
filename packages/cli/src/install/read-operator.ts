// Reads the IstioOperator files of `heddle install -f … --set …`: validated by the api package (file:line
// findings), overlaid in order, then the --set overrides, validated once more as a whole.
import { compareFindings, validateText, type Finding } from '@heddle/api';
import { stringify } from 'yaml';
import { readSources } from '../input/read-sources.ts';
import { mergeOperatorSpecs } from './merge-operators.ts';
import { applySetOverrides, type SetOverride } from './set-overrides.ts';

type Tree = Record<string, unknown>;

export interface OperatorInput {
  /** The merged spec after --set. */
  readonly spec: Tree;
  /** metadata.name of the last named IstioOperator. */
  readonly name?: string;
  /** Where each IstioOperator came from, `file:line`. */
  readonly origins: readonly string[];
  /** Every finding, sorted; Errors mean nothing may be installed. */
  readonly findings: readonly Finding[];
  /** Documents that are not IstioOperators (Namespaces …), as `Kind name (file:line)`. */
  readonly ignored: readonly string[];
  readonly failed: boolean;
}

/** The name findings of the merged operator carry: what was overlaid on the files. */
export const SET_SOURCE = '(--set overrides)';

export async function readOperator(
  paths: readonly string[],
  overrides: readonly SetOverride[],
  stdin: AsyncIterable<Buffer | string>,
): Promise<OperatorInput> {
  const read =
    paths.length > 0 ? await readSources(paths, stdin) : { sources: [], findings: [], failed: false };
  const validation = validateText(read.sources);
  const findings: Finding[] = [...read.findings, ...validation.findings];
  const specs: Tree[] = [];
  const origins: string[] = [];
  const ignored: string[] = [];
  let name: string | undefined;
  for (const resource of validation.resources) {
    const where = `${resource.file}:${resource.line}`;
    if (resource.kind !== 'IstioOperator') {
      ignored.push(`${resource.kind} ${resource.ref.name ?? '<unnamed>'} (${where})`);
      continue;
    }
    const spec = resource.object.spec;
    specs.push(isTree(spec) ? spec : {});
    origins.push(where);
    const metadata = resource.object.metadata;
    if (isTree(metadata) && typeof metadata.name === 'string') name = metadata.name;
  }
  if (paths.length > 0 && specs.length === 0 && !read.failed) {
    findings.push({
      code: 'HEDDLE_INSTALL_NO_ISTIOOPERATOR',
      level: 'Error',
      message: `no IstioOperator in ${paths.join(', ')}; install reads install.istio.io/v1alpha1 IstioOperator resources (apply other kinds with heddle apply)`,
    });
  }
  const spec = applySetOverrides(mergeOperatorSpecs(specs), overrides);
  if (overrides.length > 0 || specs.length > 1) findings.push(...mergedErrors(spec, name));
  return {
    spec,
    ...(name !== undefined ? { name } : {}),
    origins,
    findings: findings.sort(compareFindings),
    ignored,
    failed: read.failed || findings.some((finding) => finding.level === 'Error'),
  };
}

/** Errors the overlay itself introduced; what each file says was reported above already. */
function mergedErrors(spec: Tree, name: string | undefined): Finding[] {
  const text = stringify({
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    metadata: { name: name ?? 'installed-state', namespace: 'istio-system' },
    spec,
  });
  // Lines of this synthesized text would point nowhere the user can look; the field path says where.
  return validateText([{ name: SET_SOURCE, text }])
    .findings.filter((finding) => finding.level === 'Error')
    .map(({ line: _line, column: _column, ...finding }) => finding);
}

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
