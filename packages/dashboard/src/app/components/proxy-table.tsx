// The proxy-status table, istioctl's columns; used by the Proxies view and by workload detail pages.
import type { ProxySyncStatus } from '../../client/index.ts';
import { buildProxyRows, XDS_COLUMNS } from '../lib/proxy-rows.ts';
import { routeHash } from '../lib/route.ts';
import { SyncBadge } from './sync-badge.tsx';

export function ProxyTable({ statuses, caption }: { statuses: readonly ProxySyncStatus[]; caption: string }) {
  const rows = buildProxyRows(statuses);
  const nacks = rows.flatMap((row) =>
    XDS_COLUMNS.flatMap((type) => {
      const error = row.cells[type].error;
      return row.cells[type].status === 'NACKED' && error ? [{ name: row.name, type, error }] : [];
    }),
  );
  return (
    <>
      <table data-testid="proxy-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">NAME</th>
            {XDS_COLUMNS.map((type) => (
              <th key={type} scope="col">
                {type}
              </th>
            ))}
            <th scope="col">CONTROL PLANE</th>
            <th scope="col">VERSION</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={XDS_COLUMNS.length + 3} class="empty">
                No proxy is connected.
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.id} data-proxy={row.id} data-status={row.overall}>
                <td title={row.id}>
                  <a href={routeHash({ view: 'workload', namespace: row.namespace, name: row.workload })}>
                    {row.name}
                  </a>
                </td>
                {XDS_COLUMNS.map((type) => (
                  <td key={type}>
                    <SyncBadge status={row.cells[type].status} title={row.cells[type].error} />
                  </td>
                ))}
                <td>{row.controlPlane}</td>
                <td>{row.version || '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {nacks.length > 0 ? (
        <ul class="nacks" aria-label="Rejected configuration">
          {nacks.map((nack) => (
            <li key={`${nack.name}/${nack.type}`}>
              <strong>{nack.name}</strong> rejected {nack.type}: <code>{nack.error}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
