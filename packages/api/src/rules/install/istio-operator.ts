// Semantic rules for IstioOperator (install.istio.io) and the meshConfig inside it.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateIstioOperator: KindValidator = () => {};
