// Findings: what the analyzers say about the stored config and the registry (`heddle analyze`, IST codes).
import { useState } from 'preact/hooks';
import { fetchFindings } from '../../client/index.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { inNamespace, sortFindings, type DashboardFinding } from '../lib/findings-filter.ts';
import { useSettings } from '../settings.ts';
import { usePolling } from '../use-polling.ts';

const LEVELS: readonly DashboardFinding['level'][] = ['Error', 'Warning', 'Info'];

export function FindingsView() {
  const { tick, namespace } = useSettings();
  const findings = usePolling((signal) => fetchFindings({ signal }), 'findings', tick);
  const [hidden, setHidden] = useState<readonly string[]>([]);
  const inScope = (findings.data?.findings ?? []).filter((finding) => inNamespace(finding, namespace));
  const shown = sortFindings(inScope.filter((finding) => !hidden.includes(finding.level)));
  const toggle = (level: string) =>
    setHidden((current) =>
      current.includes(level) ? current.filter((l) => l !== level) : [...current, level],
    );
  return (
    <div class="view" data-testid="findings-view">
      <ErrorBanner errors={[findings.error]} />
      {findings.data ? (
        <>
          <div class="chips" role="group" aria-label="Levels">
            {LEVELS.map((level) => (
              <button
                type="button"
                key={level}
                class={hidden.includes(level) ? 'chip' : 'chip active'}
                aria-pressed={!hidden.includes(level)}
                onClick={() => toggle(level)}
              >
                {level} ({inScope.filter((finding) => finding.level === level).length})
              </button>
            ))}
          </div>
          <table data-testid="findings-table">
            <caption>Analyzer findings{namespace ? ` in ${namespace}` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Level</th>
                <th scope="col">Resource</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 ? (
                <tr>
                  <td colSpan={4} class="empty">
                    No findings: the analyzers have nothing to say.
                  </td>
                </tr>
              ) : (
                shown.map((finding, index) => (
                  <tr key={`${finding.code}/${finding.resource ?? ''}/${index}`}>
                    <td>
                      <code>{finding.code}</code>
                    </td>
                    <td>
                      <span class={`badge ${finding.level.toLowerCase()}`}>{finding.level}</span>
                    </td>
                    <td>
                      {finding.resource ?? '—'}
                      {finding.field ? <div class="field">{finding.field}</div> : null}
                    </td>
                    <td>{finding.message}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </>
      ) : (
        <Loading failed={findings.error !== undefined} />
      )}
    </div>
  );
}
