// What a verified token does to the request: payload and claims into headers, the token removed unless
// `forward`, and dynamic metadata for RBAC (`istio_authn` request.auth.*) and for routes.
import { HTTP_FILTERS } from '@heddle/xds';
import type { HeaderMap } from '../../../http/headers.ts';
import type { StreamInfo } from '../../../http/stream-info.ts';
import { audienceList } from './check-claims.ts';
import type { VerifiedToken } from './requirement.ts';

/** The metadata namespace Istio's authentication filter writes and Istio's RBAC policies read. */
export const ISTIO_AUTHN = 'istio_authn';

function claimValue(payload: Readonly<Record<string, unknown>>, path: string): string | undefined {
  let current: unknown = payload;
  for (const key of path.split('.')) {
    current =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? (current as Record<string, unknown>)[key]
        : undefined;
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  if (Array.isArray(current) && current.every((v) => typeof v === 'string')) return current.join(',');
  return undefined;
}

export function applyVerified(
  headers: HeaderMap,
  info: StreamInfo,
  verified: readonly VerifiedToken[],
): void {
  const metadata: Record<string, unknown> = { ...(info.dynamicMetadata.get(HTTP_FILTERS.JWT_AUTHN) ?? {}) };
  for (const { provider, token, payload, payloadSegment } of verified) {
    if (!provider.forward && token.location.kind === 'header') delete headers[token.location.name];
    if (provider.forwardPayloadHeader) {
      const pad = provider.padForwardPayloadHeader ? '='.repeat((4 - (payloadSegment.length % 4)) % 4) : '';
      headers[provider.forwardPayloadHeader] = `${payloadSegment}${pad}`;
    }
    for (const { header, claim } of provider.claimToHeaders) {
      const value = claimValue(payload, claim);
      if (value !== undefined && !/[\0\r\n]/.test(value)) headers[header] = value;
    }
    if (provider.payloadInMetadata) metadata[provider.payloadInMetadata] = payload;
  }
  if (Object.keys(metadata).length > 0) info.dynamicMetadata.set(HTTP_FILTERS.JWT_AUTHN, metadata);
  const first = verified[0];
  if (!first) return;
  const { payload } = first;
  const iss = typeof payload['iss'] === 'string' ? payload['iss'] : '';
  const sub = typeof payload['sub'] === 'string' ? payload['sub'] : '';
  info.dynamicMetadata.set(ISTIO_AUTHN, {
    ...(info.dynamicMetadata.get(ISTIO_AUTHN) ?? {}),
    'request.auth.principal': `${iss}/${sub}`,
    'request.auth.audiences': audienceList(payload),
    ...(typeof payload['azp'] === 'string' ? { 'request.auth.presenter': payload['azp'] } : {}),
    'request.auth.claims': payload,
  });
}
