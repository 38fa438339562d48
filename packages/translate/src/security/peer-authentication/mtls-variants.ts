// The transport variants of one inbound port for its mTLS mode. STRICT: one chain that terminates mTLS and
// takes every connection (plaintext fails the handshake; it never falls through to another chain).
// PERMISSIVE: an mTLS chain for `tls` and a plaintext one for `raw_buffer`, told apart by the TLS inspector.
// DISABLE: plaintext only.
import type { TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { ChainMatchSpec } from '../../listener/filter-chain-match.ts';
import type { ResolvedMtlsMode } from './effective-mtls-mode.ts';
import { inboundMtlsTransportSocket } from './inbound-mtls-context.ts';

export interface MtlsVariant {
  readonly nameSuffix: string;
  readonly match: Pick<ChainMatchSpec, 'transportProtocol'>;
  readonly transportSocket?: TransportSocket;
}

export function mtlsVariants(mode: ResolvedMtlsMode, http: boolean): MtlsVariant[] {
  switch (mode) {
    case 'DISABLE':
      return [{ nameSuffix: '', match: {} }];
    case 'STRICT':
      return [{ nameSuffix: '', match: {}, transportSocket: inboundMtlsTransportSocket(http) }];
    case 'PERMISSIVE':
      return [
        {
          nameSuffix: 'mtls',
          match: { transportProtocol: 'tls' },
          transportSocket: inboundMtlsTransportSocket(http),
        },
        { nameSuffix: '', match: { transportProtocol: 'raw_buffer' } },
      ];
  }
}
