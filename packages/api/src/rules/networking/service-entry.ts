// Semantic rules for ServiceEntry.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateServiceEntry: KindValidator = () => {};
