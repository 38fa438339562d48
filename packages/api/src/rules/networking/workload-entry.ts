// Semantic rules for WorkloadEntry: an address (IP, host name or socket) unless a network is named, valid
// ports, labels, locality, network and service account.
import type { KindValidator } from '../../validate/rule-context.ts';
import { checkWorkloadFields } from './registry/workload-fields.ts';

export const validateWorkloadEntry: KindValidator = (ctx, spec) => {
  checkWorkloadFields(ctx, spec, ['spec'], { addresses: 'workload-entry' });
};
