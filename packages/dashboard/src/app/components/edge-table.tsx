// The table of graph edges: the graph view lists every edge (with protocol, p50 and links to the nodes), a
// workload or service page lists the edges in and out of it.
import type { ComponentChild } from 'preact';
import type { EdgeRow } from '../lib/graph-elements.ts';
import { LockIcon } from './icons.tsx';

export interface EdgeTableProps {
  readonly rows: readonly EdgeRow[];
  readonly testId: string;
  readonly caption: string;
  readonly emptyText: string;
  /** Adds the protocol and p50 columns. */
  readonly detailed?: boolean;
  /** How a row's source or target is shown; its label by default. */
  readonly endpoint?: (node: EdgeRow['source'], label: string) => ComponentChild;
}

export function EdgeTable({ rows, testId, caption, emptyText, detailed = false, endpoint }: EdgeTableProps) {
  const show = endpoint ?? ((_node: EdgeRow['source'], label: string) => label);
  return (
    <table data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">From</th>
          <th scope="col">To</th>
          {detailed ? <th scope="col">Protocol</th> : null}
          <th scope="col" class="num">
            Requests
          </th>
          <th scope="col" class="num">
            Errors
          </th>
          {detailed ? (
            <th scope="col" class="num">
              p50
            </th>
          ) : null}
          <th scope="col" class="num">
            p99
          </th>
          <th scope="col">mTLS</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={detailed ? 8 : 6} class="empty">
              {emptyText}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.id} class={row.failing ? 'failing' : undefined} data-edge={row.id}>
              <td>{show(row.source, row.sourceLabel)}</td>
              <td>{show(row.target, row.targetLabel)}</td>
              {detailed ? <td>{row.protocol}</td> : null}
              <td class="num">{row.rate}</td>
              <td class="num">{row.errors}</td>
              {detailed ? <td class="num">{row.p50}</td> : null}
              <td class="num">{row.p99}</td>
              <td>
                {row.mtls ? (
                  <>
                    <LockIcon /> yes
                  </>
                ) : (
                  'no'
                )}
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
