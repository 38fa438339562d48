// Envoy DataSource → text, read once when the config is compiled (files and environment variables too, as
// Envoy does at load time); never on a connection.
import { readFileSync } from 'node:fs';
import type { DataSource } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { ClusterConfigError } from './config-error.ts';

const utf8 = new TextDecoder();

export function readDataSource(source: DataSource, where: string): string {
  const spec = source.specifier;
  switch (spec.case) {
    case 'inlineString':
      return spec.value;
    case 'inlineBytes':
      return utf8.decode(spec.value);
    case 'filename':
      try {
        return readFileSync(spec.value, 'utf8');
      } catch (err) {
        throw new ClusterConfigError(
          `${where}.filename: cannot read ${spec.value}: ${(err as Error).message}`,
        );
      }
    case 'environmentVariable': {
      const value = process.env[spec.value];
      if (value === undefined) {
        throw new ClusterConfigError(`${where}.environment_variable: ${spec.value} is not set`);
      }
      return value;
    }
    case undefined:
      throw new ClusterConfigError(`${where}: empty data source`);
  }
}
