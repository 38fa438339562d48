// Semantic rules for WorkloadEntry.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateWorkloadEntry: KindValidator = () => {};
