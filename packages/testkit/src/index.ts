// Test helpers shared by the packages: snapshots from YAML, proxy nodes, golden files, loopback servers.
export * from './snapshot-from-yaml.ts';
export * from './proxy-nodes.ts';
export * from './xds-yaml.ts';
export * from './golden.ts';
export * from './translation-case.ts';
export * from './fake-ads-server.ts';
export * from './test-pki.ts';
