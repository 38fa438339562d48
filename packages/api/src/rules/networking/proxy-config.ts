// Semantic rules for ProxyConfig.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateProxyConfig: KindValidator = () => {};
