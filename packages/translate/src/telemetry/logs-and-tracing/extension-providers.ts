// Looks up meshConfig.extensionProviders by name, the built-in ones (`envoy`, `prometheus`) included.
import { DEFAULT_MESH_CONFIG, type MeshExtensionProvider, type MeshConfig } from '@heddle/api';

export function findProvider(mesh: MeshConfig, name: string): MeshExtensionProvider | undefined {
  return (
    mesh.extensionProviders?.find((provider) => provider.name === name) ??
    DEFAULT_MESH_CONFIG.extensionProviders?.find((provider) => provider.name === name)
  );
}
