// Checks for ConfigMaps the mesh reads (the `istio` ConfigMap holding `mesh`).
import type { KindValidator } from '../../validate/rule-context.ts';

export const validateConfigMap: KindValidator = () => {};
