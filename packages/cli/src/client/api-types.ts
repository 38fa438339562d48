// The JSON bodies of the control plane's HTTP API that the CLI reads, as the control plane declares them.
import type { Finding } from '@heddle/api';
import type { AppliedResource, ResourceKey } from '@heddle/control-plane';

export type { ListResult, ProxyStatus, ResourceKey, StoredResource, TypeStatus } from '@heddle/control-plane';

/** 200 from POST /apis/v1/apply. */
export interface ApplyBody {
  readonly applied: readonly AppliedResource[];
  readonly unchanged: readonly AppliedResource[];
  readonly findings: readonly Finding[];
  readonly revision: number;
}

/** 200 from POST /apis/v1/delete. */
export interface DeleteBody {
  readonly deleted: readonly ResourceKey[];
  readonly notFound: readonly ResourceKey[];
  readonly findings: readonly Finding[];
  readonly revision: number;
}

/** Every error answer: a stable code, a sentence, and details such as findings. */
export interface ErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly findings?: readonly Finding[];
}

/** Envoy's /config_dump shape: one section per xDS type, each with its `@type`. */
export interface ConfigDump {
  readonly configs: readonly Readonly<Record<string, unknown>>[];
}

/** A refusal of the whole request (422): nothing was written, and the findings say why. */
export interface Refusal {
  readonly refused: true;
  readonly message: string;
  readonly findings: readonly Finding[];
}
