// Semantic rules for WorkloadGroup.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateWorkloadGroup: KindValidator = () => {};
