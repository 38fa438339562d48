// Config: the stored Istio resources by kind and namespace; clicking one shows it as YAML or JSON.
import { useState } from 'preact/hooks';
import { fetchResources, type StoredResource } from '../../client/index.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { groupByKind, resourceId } from '../lib/config-groups.ts';
import { formatAge } from '../lib/format.ts';
import { toYaml } from '../lib/to-yaml.ts';
import { useSettings } from '../settings.ts';
import { usePolling } from '../use-polling.ts';

export function ConfigView() {
  const { tick, namespace } = useSettings();
  const resources = usePolling(
    (signal) => fetchResources(namespace || undefined, { signal }),
    `config:${namespace}`,
    tick,
  );
  const [kind, setKind] = useState('');
  const [selected, setSelected] = useState('');
  const groups = groupByKind(resources.data?.items ?? [], namespace);
  const shownGroups = kind ? groups.filter((group) => group.kind === kind) : groups;
  const chosen = resources.data?.items.find((resource) => resourceId(resource) === selected);
  const now = Date.now();
  return (
    <div class="view" data-testid="config-view">
      <ErrorBanner errors={[resources.error]} />
      {resources.data ? (
        <div class="split">
          <div class="split-main">
            <div class="chips" role="group" aria-label="Kinds">
              <button type="button" class={kind === '' ? 'chip active' : 'chip'} onClick={() => setKind('')}>
                All ({groups.reduce((sum, group) => sum + group.resources.length, 0)})
              </button>
              {groups.map((group) => (
                <button
                  type="button"
                  key={group.kind}
                  class={kind === group.kind ? 'chip active' : 'chip'}
                  onClick={() => setKind(group.kind)}
                >
                  {group.kind} ({group.resources.length})
                </button>
              ))}
            </div>
            <table data-testid="config-table">
              <caption>Stored resources (revision {resources.data.revision})</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Namespace</th>
                  <th scope="col">Name</th>
                  <th scope="col" class="num">
                    Generation
                  </th>
                  <th scope="col">Age</th>
                </tr>
              </thead>
              <tbody>
                {shownGroups.length === 0 ? (
                  <tr>
                    <td colSpan={5} class="empty">
                      No Istio configuration is stored{namespace ? ` in ${namespace}` : ''}.
                    </td>
                  </tr>
                ) : (
                  shownGroups.flatMap((group) =>
                    group.resources.map((resource) => {
                      const id = resourceId(resource);
                      return (
                        <tr key={id} class={id === selected ? 'selected' : undefined}>
                          <td>{resource.kind}</td>
                          <td>{resource.metadata.namespace}</td>
                          <td>
                            <button type="button" class="link" onClick={() => setSelected(id)}>
                              {resource.metadata.name}
                            </button>
                          </td>
                          <td class="num">{resource.metadata.generation}</td>
                          <td>{formatAge(resource.metadata.creationTimestamp, now)}</td>
                        </tr>
                      );
                    }),
                  )
                )}
              </tbody>
            </table>
          </div>
          {chosen ? <ResourcePanel resource={chosen} onClose={() => setSelected('')} /> : null}
        </div>
      ) : (
        <Loading failed={resources.error !== undefined} />
      )}
    </div>
  );
}

function ResourcePanel({ resource, onClose }: { resource: StoredResource; onClose: () => void }) {
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const text = format === 'yaml' ? toYaml(resource) : `${JSON.stringify(resource, null, 2)}\n`;
  return (
    <aside class="split-side" aria-label={`${resource.kind} ${resource.metadata.name}`}>
      <div class="panel-head">
        <h2>
          {resource.kind} {resource.metadata.namespace ? `${resource.metadata.namespace}/` : ''}
          {resource.metadata.name}
        </h2>
        <div class="chips" role="group" aria-label="Format">
          <button
            type="button"
            class={format === 'yaml' ? 'chip active' : 'chip'}
            onClick={() => setFormat('yaml')}
          >
            YAML
          </button>
          <button
            type="button"
            class={format === 'json' ? 'chip active' : 'chip'}
            onClick={() => setFormat('json')}
          >
            JSON
          </button>
          <button type="button" class="chip" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
      </div>
      <pre class="source" data-testid="resource-source">
        {text}
      </pre>
    </aside>
  );
}
