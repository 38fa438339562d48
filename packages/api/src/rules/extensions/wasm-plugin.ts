// Semantic rules for WasmPlugin.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateWasmPlugin: KindValidator = () => {};
