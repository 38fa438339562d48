// Semantic rules for DestinationRule.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateDestinationRule: KindValidator = () => {};
