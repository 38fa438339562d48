// Tags every span of the proxy carries: Istio's standard ones (canonical service and revision, namespace,
// mesh id) and the Telemetry's `customTags` (literal, environment variable or request header).
import { create } from '@bufbuild/protobuf';
import type { CustomTag as TelemetryTag } from '@heddle/api';
import { CustomTagSchema, type CustomTag } from '@heddle/xds/gen/envoy/type/tracing/v3/custom_tag_pb.ts';
import { workloadMetadata } from '../../endpoint/workload-metadata.ts';
import type { TranslationContext } from '../../translate-proxy.ts';

const literal = (tag: string, value: string): CustomTag =>
  create(CustomTagSchema, { tag, type: { case: 'literal', value: { value } } });

export function istioSpanTags(ctx: TranslationContext): CustomTag[] {
  const node = ctx.node;
  const [, , service = node.workloadName, revision = 'latest'] = workloadMetadata(
    node.workloadName,
    node.namespace,
    node.labels,
  ).split(';');
  return [
    literal('istio.canonical_revision', revision),
    literal('istio.canonical_service', service),
    // Istio's mesh id defaults to the trust domain.
    literal('istio.mesh_id', ctx.index.trustDomain),
    literal('istio.namespace', node.namespace),
  ];
}

/** Undefined for a tag whose source Envoy cannot express (`formatter`), which the caller reports. */
export function customSpanTag(name: string, tag: TelemetryTag): CustomTag | undefined {
  if (tag.literal) return literal(name, tag.literal.value);
  if (tag.environment)
    return create(CustomTagSchema, {
      tag: name,
      type: {
        case: 'environment',
        value: { name: tag.environment.name, defaultValue: tag.environment.defaultValue ?? '' },
      },
    });
  if (tag.header)
    return create(CustomTagSchema, {
      tag: name,
      type: {
        case: 'requestHeader',
        value: { name: tag.header.name.toLowerCase(), defaultValue: tag.header.defaultValue ?? '' },
      },
    });
  return undefined;
}
