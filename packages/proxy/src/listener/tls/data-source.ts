// Reads an Envoy DataSource (inline, file, environment variable) once per update, for certificates and keys.
import type { DataSource } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { readFileSync } from 'node:fs';

export function readDataSource(source: DataSource): string | { error: string } {
  const specifier = source.specifier;
  switch (specifier.case) {
    case 'inlineString':
      return specifier.value;
    case 'inlineBytes':
      return Buffer.from(specifier.value).toString('utf8');
    case 'filename':
      try {
        return readFileSync(specifier.value, 'utf8');
      } catch (error) {
        return { error: `cannot read ${specifier.value}: ${(error as Error).message}` };
      }
    case 'environmentVariable': {
      const value = process.env[specifier.value];
      return value === undefined ? { error: `environment variable ${specifier.value} is not set` } : value;
    }
    case undefined:
      return { error: 'empty data source' };
  }
}
