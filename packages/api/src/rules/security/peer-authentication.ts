// Semantic rules for PeerAuthentication.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validatePeerAuthentication: KindValidator = () => {};
