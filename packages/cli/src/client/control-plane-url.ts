// Where client verbs find the control plane: --control-plane, else HEDDLE_CONTROL_PLANE, else the default.
import { UsageError } from '../usage-error.ts';

export const DEFAULT_CONTROL_PLANE_URL = 'http://127.0.0.1:15014';
export const CONTROL_PLANE_ENV = 'HEDDLE_CONTROL_PLANE';

/** The base URL without a trailing slash; `host:port` alone means `http://host:port`. */
export function resolveControlPlaneUrl(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const fromEnv = env[CONTROL_PLANE_ENV];
  const given = option ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  if (given === undefined) return DEFAULT_CONTROL_PLANE_URL;
  const source = option !== undefined ? '--control-plane' : CONTROL_PLANE_ENV;
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(given, source);
  }
  if (url.protocol !== 'http:' || url.hostname === '' || url.search !== '' || url.hash !== '') {
    throw invalid(given, source);
  }
  return url.href.replace(/\/+$/, '');
}

function invalid(value: string, source: string): UsageError {
  return new UsageError(
    `invalid control plane address '${value}' (from ${source})`,
    `Use an http:// URL such as ${DEFAULT_CONTROL_PLANE_URL}, or host:port.`,
  );
}
