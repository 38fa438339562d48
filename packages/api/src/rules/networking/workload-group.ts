// Semantic rules for WorkloadGroup: the template (a WorkloadEntry without address or labels), metadata
// labels and the readiness probe.
import { REGISTRY_CODES } from '../../findings/codes.ts';
import type { KindValidator } from '../../validate/rule-context.ts';
import { checkLabelMap } from './registry/labels.ts';
import { isSet, structAt } from './registry/read.ts';
import { checkReadinessProbe } from './registry/readiness-probe.ts';
import { checkWorkloadFields } from './registry/workload-fields.ts';

export const validateWorkloadGroup: KindValidator = (ctx, spec) => {
  const template = structAt(spec.template);
  if (template) {
    const path = ['spec', 'template'];
    // Each registered workload brings its own address, and its labels come from metadata.labels.
    if (isSet(template.address)) {
      ctx.warn(
        REGISTRY_CODES.WORKLOAD_GROUP_TEMPLATE_FIELD,
        [...path, 'address'],
        'the template address is ignored: each workload registers with its own address; remove it',
      );
    }
    if (isSet(template.labels)) {
      ctx.warn(
        REGISTRY_CODES.WORKLOAD_GROUP_TEMPLATE_FIELD,
        [...path, 'labels'],
        'labels of the workloads belong in spec.metadata.labels, which every workload of the group inherits; move them there',
      );
    }
    checkWorkloadFields(ctx, template, path, { addresses: 'template' });
  }
  const metadata = structAt(spec.metadata);
  if (metadata) checkLabelMap(ctx, metadata.labels, ['spec', 'metadata', 'labels']);
  const probe = structAt(spec.probe);
  if (probe) checkReadinessProbe(ctx, probe, ['spec', 'probe']);
};
