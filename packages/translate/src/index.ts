// Public surface of @heddle/translate: the pure Istio → Envoy xDS translator.
export * from './model/service.ts';
export * from './model/proxy-node.ts';
export * from './model/mesh-snapshot.ts';
export * from './model/translation-output.ts';
export { translateProxy, type TranslationContext } from './translate-proxy.ts';
export { buildMeshIndex, gatewayKey, MESH_GATEWAY, type MeshIndex } from './snapshot/mesh-index.ts';
export * from './snapshot/host-names.ts';
export { snapshotFromResources, type SnapshotOptions } from './snapshot/snapshot-from-resources.ts';
export {
  jwksSourceOf,
  jwksToFetch,
  openIdDiscoveryUrl,
  type JwksFetch,
  type JwksSource,
} from './security/jwt/jwks-source.ts';
export { isJwkSet } from './security/jwt/provider-jwks.ts';
export {
  fromStoredResource,
  fromValidatedResource,
  type AnalysisResource,
  type StoredResourceFields,
} from './analyze/analysis-resource.ts';
export {
  crossReferenceFindings,
  type AnalysisContext,
  type AnalysisWorkload,
} from './analyze/cross-references.ts';
export { IST_CODES, printedCode } from './analyze/ist-codes.ts';
