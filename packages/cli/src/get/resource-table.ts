// `heddle get`'s table for one type: [NAMESPACE] NAME, the kind's own columns, REVISION, AGE.
import type { StoredResource } from '@heddle/control-plane';
import { formatTable } from '../output/format-table.ts';
import { humanAge } from '../output/human-age.ts';
import { columnValue, printerColumns } from '../resources/printer-columns.ts';
import { qualifiedTypeName } from '../resources/resource-types.ts';

export interface TableOptions {
  /** With -A: a NAMESPACE column first, as kubectl adds it. */
  readonly withNamespace: boolean;
  /** When several types are listed, names read `virtualservice.networking.istio.io/reviews`. */
  readonly qualifyNames: boolean;
  readonly now: Date;
}

export function resourceTable(
  kind: string,
  resources: readonly StoredResource[],
  options: TableOptions,
): string {
  const columns = printerColumns(kind);
  const header = [
    ...(options.withNamespace ? ['NAMESPACE'] : []),
    'NAME',
    ...columns.map((column) => column.header),
    'REVISION',
    'AGE',
  ];
  const rows = resources.map((resource) => [
    ...(options.withNamespace ? [resource.metadata.namespace] : []),
    options.qualifyNames ? `${qualifiedTypeName(kind)}/${resource.metadata.name}` : resource.metadata.name,
    ...columns.map((column) => columnValue(resource, column)),
    resource.metadata.resourceVersion,
    humanAge(resource.metadata.creationTimestamp, options.now),
  ]);
  return formatTable(header, rows);
}
