// Checks for v1 ServiceAccount (workload identity).
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateServiceAccount: KindValidator = () => {};
