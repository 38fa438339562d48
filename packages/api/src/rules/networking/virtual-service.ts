// Semantic rules for VirtualService (the admission webhook's checks).
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateVirtualService: KindValidator = () => {};
