// Semantic rules for Sidecar.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateSidecar: KindValidator = () => {};
