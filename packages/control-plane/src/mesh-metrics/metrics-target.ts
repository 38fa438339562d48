// Where a proxy's Prometheus stats are scraped: the HEDDLE_METRICS_URL it announces, accepted only as plain
// http to loopback or to one of the proxy's own addresses, so that a proxy cannot make the control plane
// fetch from elsewhere on its network.
import type { ProxyNode } from '@heddle/translate';
import { NODE_METADATA_KEYS } from '../xds/node-metadata.ts';

export type MetricsTarget =
  | { readonly url: string; readonly problem?: undefined }
  | { readonly url?: undefined; readonly problem: string };

/** Undefined when the proxy announces no metrics URL. */
export function metricsTargetOf(
  node: Pick<ProxyNode, 'metadata' | 'ipAddresses'>,
): MetricsTarget | undefined {
  const text = node.metadata?.[NODE_METADATA_KEYS.METRICS_URL]?.trim();
  if (text === undefined || text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `${NODE_METADATA_KEYS.METRICS_URL} is not a URL: "${text}"` };
  }
  if (url.protocol !== 'http:')
    return { problem: `${NODE_METADATA_KEYS.METRICS_URL} must be an http:// URL, not "${text}"` };
  if (url.username !== '' || url.password !== '')
    return { problem: `${NODE_METADATA_KEYS.METRICS_URL} must not carry credentials` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isLoopbackHost(host) && !node.ipAddresses.includes(host))
    return {
      problem: `${NODE_METADATA_KEYS.METRICS_URL} host ${host} is neither loopback nor one of the proxy's INSTANCE_IPS`,
    };
  return { url: url.href };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
