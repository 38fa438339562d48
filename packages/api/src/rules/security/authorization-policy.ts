// Semantic rules for AuthorizationPolicy.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateAuthorizationPolicy: KindValidator = () => {};
