// `heddle get`: lists or reads stored resources and prints them as a table, YAML, JSON or names.
import type { StoredResource } from '@heddle/control-plane';
import type { CliIo } from '../cli-io.ts';
import { resourceName } from '../apply/result-lines.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { toYamlDocuments } from '../output/to-yaml-documents.ts';
import { qualifiedPluralName, type ResourceType } from '../resources/resource-types.ts';
import type { GetOutput } from './get-output.ts';
import { resourceTable } from './resource-table.ts';

export interface GetRequest {
  readonly types: readonly ResourceType[];
  /** Names to read (one type only); none lists every resource of the types. */
  readonly names: readonly string[];
  /** The namespace to look in; undefined with -A (all namespaces). */
  readonly namespace: string | undefined;
  readonly output: GetOutput;
  readonly now: Date;
}

interface Found {
  readonly type: ResourceType;
  readonly items: readonly StoredResource[];
}

export async function runGet(request: GetRequest, client: ControlPlaneClient, io: CliIo): Promise<ExitCode> {
  const found: Found[] = [];
  let missing = false;
  if (request.names.length > 0) {
    const type = request.types[0] as ResourceType;
    const namespace = type.clusterScoped ? '' : (request.namespace ?? 'default');
    const items: StoredResource[] = [];
    for (const name of request.names) {
      const resource = await client.get({ kind: type.kind, namespace, name });
      if (resource) items.push(resource);
      else {
        missing = true;
        io.stderr.write(`heddle: ${notFoundMessage(type, name, namespace)}\n`);
      }
    }
    found.push({ type, items });
  } else {
    for (const type of request.types) {
      const namespace = type.clusterScoped ? undefined : request.namespace;
      const listing = await client.list({
        kind: type.kind,
        ...(namespace !== undefined ? { namespace } : {}),
      });
      found.push({ type, items: listing.items });
    }
  }
  io.stdout.write(render(found, request));
  const total = found.reduce((sum, entry) => sum + entry.items.length, 0);
  if (total === 0 && request.names.length === 0) io.stderr.write(`${noneFound(request)}\n`);
  return missing ? EXIT_CODES.NOT_FOUND : EXIT_CODES.OK;
}

function render(found: readonly Found[], request: GetRequest): string {
  const items = found.flatMap((entry) => entry.items);
  // Names that were all missing print nothing: the not-found lines on stderr say it all.
  if (request.names.length > 0 && items.length === 0) return '';
  switch (request.output) {
    case 'json':
      // One named resource prints as itself; anything else as kubectl's List, so `jq .items[]` works alike.
      if (request.names.length === 1 && items.length === 1) return `${JSON.stringify(items[0], null, 2)}\n`;
      return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`;
    case 'yaml':
      return toYamlDocuments(items);
    case 'name':
      return items.map((item) => `${resourceName({ ...item.metadata, kind: item.kind })}\n`).join('');
    case 'table': {
      const tables = found
        .filter((entry) => entry.items.length > 0)
        .map((entry) =>
          resourceTable(entry.type.kind, entry.items, {
            withNamespace: request.namespace === undefined && !entry.type.clusterScoped,
            qualifyNames: found.length > 1,
            now: request.now,
          }),
        );
      return tables.join('\n');
    }
  }
}

function notFoundMessage(type: ResourceType, name: string, namespace: string): string {
  const where = namespace === '' ? '' : ` in namespace "${namespace}"`;
  return `${qualifiedPluralName(type)} "${name}" not found${where}`;
}

/** kubectl's words, on stderr so that scripts reading stdout see nothing. */
function noneFound(request: GetRequest): string {
  const namespaced = request.types.some((type) => !type.clusterScoped);
  if (request.namespace === undefined || !namespaced) return 'No resources found.';
  return `No resources found in ${request.namespace} namespace.`;
}
