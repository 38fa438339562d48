// Shared by the gRPC generator tests: where the testdata/grpc-* cases live.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const TESTDATA = join(import.meta.dirname, '..', 'testdata');

export const GRPC_CASES = readdirSync(TESTDATA)
  .filter((name) => name.startsWith('grpc-'))
  .sort();

export function grpcCase(name: string): string {
  return join(TESTDATA, name);
}
