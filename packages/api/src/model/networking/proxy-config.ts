// The ProxyConfig spec: per-workload proxy settings that override meshConfig.defaultConfig.
import type { PolicySelector } from '../common.ts';
import type { Resource } from '../resource.ts';

/** Named apart from meshConfig's `ProxyConfig` (the `defaultConfig` message), which this kind overrides. */
export type ProxyConfigResource = Resource<'ProxyConfig', ProxyConfigSpec, 'networking.istio.io/v1beta1'>;

export interface ProxyConfigSpec {
  /** Unset: every proxy in the namespace, or the whole mesh from the root namespace. */
  readonly selector?: PolicySelector;
  /** Worker threads; 0 means one per CPU core. Unset: the meshConfig default (sized from the CPU limit). */
  readonly concurrency?: number;
  /** Extra environment variables for the proxy process. */
  readonly environmentVariables?: Readonly<Record<string, string>>;
  readonly image?: ProxyImage;
}

export interface ProxyImage {
  /** `default`, `debug` or `distroless`. */
  readonly imageType?: string;
}
