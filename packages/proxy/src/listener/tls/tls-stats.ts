// Envoy's downstream TLS stats, `listener.<address>.ssl.<name>`, resolved once per listener.
import type { Counter, StatsSink } from '../../stats/stats-sink.ts';
import type { VerifyFailure } from './verify-peer.ts';

export type TlsStatName = 'handshake' | 'connection_error' | 'no_certificate' | VerifyFailure;

export type TlsStats = Readonly<Record<TlsStatName, Counter>>;

const NAMES: readonly TlsStatName[] = [
  'handshake',
  'connection_error',
  'no_certificate',
  'fail_verify_no_cert',
  'fail_verify_error',
  'fail_verify_san',
  'fail_verify_cert_hash',
];

export function tlsStats(sink: StatsSink, listenerPrefix: string): TlsStats {
  return Object.fromEntries(
    NAMES.map((name) => [name, sink.counter(`${listenerPrefix}ssl.${name}`)]),
  ) as TlsStats;
}
