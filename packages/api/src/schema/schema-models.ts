// The schema layer: Istio's CRD schemas as compiled by @kubernetes-models/istio, one model per kind/version.
// Kept behind this module so the rest of the code never sees the library's types.
import { WasmPlugin as ExtV1alpha1WasmPlugin } from '@kubernetes-models/istio/extensions.istio.io/v1alpha1/WasmPlugin';
import { IstioOperator as InstallV1alpha1IstioOperator } from '@kubernetes-models/istio/install.istio.io/v1alpha1/IstioOperator';
import * as netV1 from '@kubernetes-models/istio/networking.istio.io/v1';
import * as netV1alpha3 from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import * as netV1beta1 from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as secV1 from '@kubernetes-models/istio/security.istio.io/v1';
import * as secV1beta1 from '@kubernetes-models/istio/security.istio.io/v1beta1';
import * as telV1 from '@kubernetes-models/istio/telemetry.istio.io/v1';
import * as telV1alpha1 from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';

export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

interface ModelClass {
  new (data: Record<string, unknown>): { validate(): void };
}

const MODULES: ReadonlyArray<readonly [string, Readonly<Record<string, unknown>>]> = [
  ['networking.istio.io/v1', netV1],
  ['networking.istio.io/v1beta1', netV1beta1],
  ['networking.istio.io/v1alpha3', netV1alpha3],
  ['security.istio.io/v1', secV1],
  ['security.istio.io/v1beta1', secV1beta1],
  ['telemetry.istio.io/v1', telV1],
  ['telemetry.istio.io/v1alpha1', telV1alpha1],
  ['extensions.istio.io/v1alpha1', { WasmPlugin: ExtV1alpha1WasmPlugin }],
  ['install.istio.io/v1alpha1', { IstioOperator: InstallV1alpha1IstioOperator }],
];

const MODELS = new Map<string, ModelClass>();
for (const [apiVersion, exports] of MODULES) {
  for (const [kind, value] of Object.entries(exports)) {
    if (typeof value === 'function') MODELS.set(`${apiVersion}/${kind}`, value as ModelClass);
  }
}

/** True when a schema exists for this `group/version/Kind`. */
export function hasSchema(key: string): boolean {
  return MODELS.has(key);
}

/** Runs the CRD schema over the object; returns the raw errors (empty when valid or no schema). */
export function schemaErrors(key: string, object: Readonly<Record<string, unknown>>): readonly SchemaError[] {
  const Model = MODELS.get(key);
  if (!Model) return [];
  try {
    new Model({ ...object }).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    return Array.isArray(errors) ? (errors as SchemaError[]) : [];
  }
}
