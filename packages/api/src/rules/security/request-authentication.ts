// Semantic rules for RequestAuthentication.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateRequestAuthentication: KindValidator = () => {};
