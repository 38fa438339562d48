// Checks for apps/v1 Deployment as a workload description.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateDeployment: KindValidator = () => {};
