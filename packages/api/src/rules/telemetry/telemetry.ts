// Semantic rules for Telemetry.
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateTelemetry: KindValidator = () => {};
