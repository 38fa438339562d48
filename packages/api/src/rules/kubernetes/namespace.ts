// Checks for v1 Namespace as the mesh reads it (injection labels).
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateNamespace: KindValidator = () => {};
