// Semantic rules for Gateway.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateGateway: KindValidator = () => {};
