// The transport socket of an outbound cluster: the DestinationRule's TLS mode when it sets one, else Istio's
// auto mTLS — mutual TLS to endpoints that run a proxy (metadata tlsMode: istio), plaintext to the rest.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ClientTLSSettings } from '@heddle/api';
import { packAny, TRANSPORT_SOCKETS, UpstreamTlsContextSchema } from '@heddle/xds';
import type { Cluster_TransportSocketMatchSchema } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TransportSocketSchema } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { RawBufferSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer_pb.ts';
import type { MeshService } from '../model/service.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import {
  istioMutualContext,
  istioSni,
  spiffeIdentities,
  type UpstreamTlsContextInit,
} from './istio-mtls-context.ts';
import { peerMtlsMode } from './peer-mtls-mode.ts';
import { simpleTlsContext } from './simple-tls-context.ts';

type TransportSocketInit = MessageInitShape<typeof TransportSocketSchema>;
type TransportSocketMatchInit = MessageInitShape<typeof Cluster_TransportSocketMatchSchema>;

/** The endpoint metadata key Envoy matches transport_socket_matches against, and Istio's value. */
export const TRANSPORT_SOCKET_MATCH_KEY = 'envoy.transport_socket_match';
export const TLS_MODE_ISTIO = 'istio';

export interface UpstreamTlsInput {
  readonly service: MeshService;
  readonly port: number;
  /** '' for no subset. */
  readonly subset: string;
  readonly tls: ClientTLSSettings | undefined;
  /** The cluster speaks HTTP/2 upstream, so TLS offers ALPN h2. */
  readonly http2: boolean;
  /** `DestinationRule ns/name`, for warnings. */
  readonly resource?: string;
}

export interface UpstreamTransport {
  readonly transportSocket?: TransportSocketInit;
  readonly transportSocketMatches?: TransportSocketMatchInit[];
  /** SIMPLE/MUTUAL without an SNI: HTTP clusters take it from the Host header (Istio's auto SNI). */
  readonly autoSni?: { readonly autoSanValidation: boolean };
}

function tlsSocket(context: UpstreamTlsContextInit): TransportSocketInit {
  return {
    name: TRANSPORT_SOCKETS.TLS,
    configType: { case: 'typedConfig', value: packAny(UpstreamTlsContextSchema, context) },
  };
}

function istioMutual(
  ctx: TranslationContext,
  input: UpstreamTlsInput,
  tls?: ClientTLSSettings,
): UpstreamTlsContextInit {
  const domains = [ctx.index.trustDomain, ...(ctx.index.snapshot.meshConfig.trustDomainAliases ?? [])];
  return istioMutualContext({
    sni: tls?.sni ?? istioSni(input.port, input.subset, input.service.hostname),
    subjectAltNames: tls?.subjectAltNames ?? spiffeIdentities(input.service, domains, tls === undefined),
    http2: input.http2,
  });
}

/** Istio's auto mTLS applies inside the mesh only, and not where PeerAuthentication turns mTLS off. */
function autoMtlsApplies(ctx: TranslationContext, service: MeshService): boolean {
  const { snapshot, rootNamespace } = ctx.index;
  if (snapshot.meshConfig.enableAutoMtls === false || service.location !== 'MESH_INTERNAL') return false;
  return peerMtlsMode(snapshot.peerAuthentications, service.namespace, rootNamespace) !== 'DISABLE';
}

export function upstreamTransportFor(ctx: TranslationContext, input: UpstreamTlsInput): UpstreamTransport {
  const { tls } = input;
  if (tls === undefined) {
    if (!autoMtlsApplies(ctx, input.service)) return {};
    return {
      transportSocketMatches: [
        {
          name: 'tlsMode-istio',
          match: { tlsMode: TLS_MODE_ISTIO },
          transportSocket: tlsSocket(istioMutual(ctx, input)),
        },
        {
          name: 'tlsMode-disabled',
          match: {},
          transportSocket: {
            name: TRANSPORT_SOCKETS.RAW_BUFFER,
            configType: { case: 'typedConfig', value: packAny(RawBufferSchema, {}) },
          },
        },
      ],
    };
  }
  switch (tls.mode ?? 'DISABLE') {
    case 'DISABLE':
      return {};
    case 'ISTIO_MUTUAL':
      return { transportSocket: tlsSocket(istioMutual(ctx, input, tls)) };
    case 'SIMPLE':
    case 'MUTUAL': {
      if (
        tls.mode === 'MUTUAL' &&
        tls.credentialName === undefined &&
        (tls.clientCertificate === undefined || tls.privateKey === undefined)
      ) {
        ctx.warn({
          code: 'HEDDLE_TRANSLATE_TLS_CLIENT_CERT_MISSING',
          message: `MUTUAL TLS to ${input.service.hostname}:${input.port} has no client certificate (credentialName, or clientCertificate and privateKey); the connection is made without one`,
          ...(input.resource ? { resource: input.resource } : {}),
        });
      }
      const verify = tls.insecureSkipVerify !== true;
      return {
        transportSocket: tlsSocket(simpleTlsContext(tls, input.http2)),
        ...(tls.sni === undefined
          ? { autoSni: { autoSanValidation: verify && (tls.subjectAltNames ?? []).length === 0 } }
          : {}),
      };
    }
  }
}
