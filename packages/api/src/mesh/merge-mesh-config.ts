// Applies a user's meshConfig over a base (usually DEFAULT_MESH_CONFIG), field by field as Istio does.
import type { ExtensionProvider, MeshConfig } from './mesh-config.ts';

/**
 * Maps merge recursively and lists replace, except extensionProviders, which merge by name so that a
 * user's providers add to the built-in ones (and replace one of the same name).
 */
export function applyMeshConfig(base: MeshConfig, overlay: MeshConfig): MeshConfig {
  const merged = mergeValue(base, overlay) as MeshConfig;
  if (!overlay.extensionProviders) return merged;
  return {
    ...merged,
    extensionProviders: mergeProviders(base.extensionProviders ?? [], overlay.extensionProviders),
  };
}

function mergeProviders(
  base: readonly ExtensionProvider[],
  overlay: readonly ExtensionProvider[],
): ExtensionProvider[] {
  const byName = new Map(overlay.map((provider) => [provider.name, provider]));
  const kept = base.map((provider) => byName.get(provider.name) ?? provider);
  const added = overlay.filter((provider) => !base.some((b) => b.name === provider.name));
  return [...kept, ...added];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mergeValue(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return base;
  if (!isMap(base) || !isMap(overlay)) return overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) out[key] = mergeValue(base[key], value);
  return out;
}
