// Semantic rules for EnvoyFilter.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateEnvoyFilter: KindValidator = () => {};
