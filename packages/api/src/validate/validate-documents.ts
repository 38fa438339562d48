// Judges parsed documents: identifies each kind, checks metadata, the CRD schema, known fields and the
// semantic rules, and returns every finding plus the resources that were read.
import { COMMON_CODES, KIND_CODES, SOURCE_CODES } from '../findings/codes.ts';
import type { Finding, ResourceRef } from '../findings/finding.ts';
import { FIELD_TREES } from '../gen/field-trees.ts';
import { findKind, isMeshGroup, parseApiVersion, type KindInfo } from '../kinds/kind-table.ts';
import { findRemovedApi } from '../kinds/removed-apis.ts';
import { checkFields } from '../schema/check-fields.ts';
import { checkSchema } from '../schema/check-schema.ts';
import type { SourceDocument } from '../source/source-document.ts';
import { isDns1123Label, isDns1123Subdomain } from '../rules/common/values.ts';
import { checkNoDryRunAnnotation } from '../rules/security/dry-run-annotation.ts';
import { createRuleContext, type RuleContext } from './rule-context.ts';

export interface ValidatedResource {
  readonly ref: ResourceRef;
  readonly apiVersion: string;
  readonly kind: string;
  readonly object: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line: number;
  /** False when any Error finding was reported for this resource. */
  readonly valid: boolean;
  /** True for kinds Heddle reads; false for documents it only reported and ignored. */
  readonly mesh: boolean;
}

export interface ValidationResult {
  readonly findings: Finding[];
  readonly resources: ValidatedResource[];
}

export function validateDocuments(documents: readonly SourceDocument[]): ValidationResult {
  const findings: Finding[] = [];
  const resources: ValidatedResource[] = [];
  for (const document of documents) {
    const resource = validateDocument(document, findings);
    if (resource) resources.push(resource);
  }
  return { findings, resources };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function validateDocument(document: SourceDocument, findings: Finding[]): ValidatedResource | undefined {
  const { value, file } = document;
  const line = document.start.line;
  const before = findings.length;
  if (!isRecord(value)) {
    findings.push({
      code: SOURCE_CODES.DOCUMENT_NOT_OBJECT,
      level: 'Error',
      message: 'document is not a map; a resource starts with apiVersion, kind and metadata',
      file,
      line,
    });
    return undefined;
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : undefined;
  const kind = typeof value.kind === 'string' ? value.kind : undefined;

  if (!apiVersion || !kind) {
    if (!apiVersion && !kind && Array.isArray(value.groups)) {
      findings.push({
        code: KIND_CODES.NOT_A_RESOURCE,
        level: 'Info',
        message:
          'this is a Prometheus rules file (groups:), not a mesh resource; ignored. Load it into Prometheus, or see "heddle x monitoring alerts"',
        file,
        line,
      });
      return undefined;
    }
    const ref: ResourceRef = {
      kind: kind ?? '<no kind>',
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
    };
    const ctx = createRuleContext(document, ref, value, findings);
    if (!apiVersion) ctx.error(KIND_CODES.MISSING_API_VERSION, ['apiVersion'], 'apiVersion is missing');
    if (!kind) ctx.error(KIND_CODES.MISSING_KIND, ['kind'], 'kind is missing');
    return undefined;
  }

  const { group, version } = parseApiVersion(apiVersion);
  const info = findKind(group, kind);
  const ref: ResourceRef = {
    kind,
    apiVersion,
    ...(info?.clusterScoped ? {} : info || namespace ? { namespace: namespace ?? 'default' } : {}),
    ...(name ? { name } : {}),
  };
  const ctx = createRuleContext(document, ref, value, findings);
  const result = (mesh: boolean): ValidatedResource => ({
    ref,
    apiVersion,
    kind,
    object: value,
    file,
    line,
    mesh,
    valid: !findings.slice(before).some((f) => f.level === 'Error'),
  });

  const removed = findRemovedApi(group, kind);
  if (removed) {
    ctx.error(KIND_CODES.REMOVED_API, ['apiVersion'], `${apiVersion} ${kind}: ${removed.message}`);
    return result(false);
  }
  if (!info) {
    if (isMeshGroup(group)) {
      ctx.error(KIND_CODES.UNKNOWN_API_VERSION, ['kind'], `${group} has no kind "${kind}"`);
      return result(false);
    }
    ctx.info(
      KIND_CODES.NOT_A_MESH_RESOURCE,
      ['kind'],
      `${apiVersion} ${kind} is not a mesh resource; ignored`,
    );
    return result(false);
  }
  if (!info.versions.includes(version)) {
    ctx.error(
      KIND_CODES.UNKNOWN_API_VERSION,
      ['apiVersion'],
      `${kind} is not served as ${apiVersion}; use ${info.versions.map((v) => (group ? `${group}/${v}` : v)).join(' or ')}`,
    );
    return result(true);
  }
  checkMetadata(ctx, info, value, name, namespace);
  // Istio honours dry-run only on AuthorizationPolicy; anywhere else it would silently do nothing.
  if (kind !== 'AuthorizationPolicy') checkNoDryRunAnnotation(ctx);

  const key = `${group}/${version}/${kind}`;
  const structural = checkSchema(ctx, key, value);
  const tree = FIELD_TREES[key];
  if (tree && value.spec !== undefined) checkFields(ctx, value.spec, tree, ['spec']);
  if (!structural) {
    const bodyName = info.body ?? 'spec';
    const body = bodyName === '' ? value : value[bodyName];
    try {
      info.validate(ctx, isRecord(body) ? body : {});
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      ctx.error(
        COMMON_CODES.INTERNAL_ERROR,
        [],
        `internal error while validating this resource (${detail}); please report it`,
      );
    }
  }
  return result(true);
}

function checkMetadata(
  ctx: RuleContext,
  info: KindInfo,
  object: Readonly<Record<string, unknown>>,
  name: string | undefined,
  namespace: string | undefined,
): void {
  if (object.metadata !== undefined && !isRecord(object.metadata)) {
    ctx.error(COMMON_CODES.SCHEMA_TYPE, ['metadata'], 'metadata must be a map with name and namespace');
    return;
  }
  if (name === undefined) {
    if (!info.nameOptional)
      ctx.error(COMMON_CODES.METADATA_NAME_MISSING, ['metadata'], 'metadata.name is required');
  } else if (!isDns1123Subdomain(name)) {
    ctx.error(
      COMMON_CODES.METADATA_NAME_INVALID,
      ['metadata', 'name'],
      `"${name}" is not a valid name: use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit`,
    );
  }
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    ctx.error(
      COMMON_CODES.METADATA_NAMESPACE_INVALID,
      ['metadata', 'namespace'],
      `"${namespace}" is not a valid namespace: use lower-case letters, digits and "-", at most 63 characters`,
    );
  }
}
