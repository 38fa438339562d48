// Resolves a CUSTOM policy's provider (meshConfig.extensionProviders) to the service that answers checks.
import type { EnvoyExtAuthzGrpcProvider, EnvoyExtAuthzHttpProvider } from '@heddle/api';
import { outboundClusterName } from '@heddle/xds';
import type { TranslationContext } from '../../translate-proxy.ts';

interface ProviderTarget {
  readonly name: string;
  /** The service's FQDN. */
  readonly host: string;
  readonly port: number;
  /** `outbound|<port>||<host>`. */
  readonly cluster: string;
}

export interface ResolvedHttpProvider extends ProviderTarget {
  readonly kind: 'http';
  readonly provider: EnvoyExtAuthzHttpProvider;
}

export interface ResolvedGrpcProvider extends ProviderTarget {
  readonly kind: 'grpc';
  readonly provider: EnvoyExtAuthzGrpcProvider;
}

export type ResolvedProvider = ResolvedHttpProvider | ResolvedGrpcProvider;

export type ProviderResolution =
  | { readonly kind: 'resolved'; readonly resolved: ResolvedProvider }
  | { readonly kind: 'invalid'; readonly reason: string };

/** `[<namespace>/]<hostname>`: the namespace only disambiguates. */
function splitService(service: string): { namespace?: string; host: string } {
  const slash = service.indexOf('/');
  return slash < 0
    ? { host: service }
    : { namespace: service.slice(0, slash), host: service.slice(slash + 1) };
}

export function resolveExtAuthzProvider(
  ctx: TranslationContext,
  name: string | undefined,
): ProviderResolution {
  if (!name) return { kind: 'invalid', reason: 'it names no provider' };
  const entry = (ctx.index.snapshot.meshConfig.extensionProviders ?? []).find((p) => p.name === name);
  if (!entry) return { kind: 'invalid', reason: `meshConfig has no extensionProvider "${name}"` };
  const provider = entry.envoyExtAuthzHttp ?? entry.envoyExtAuthzGrpc;
  if (!provider) return { kind: 'invalid', reason: `provider "${name}" is not an ext_authz provider` };
  if (!provider.service || !provider.port) {
    return { kind: 'invalid', reason: `provider "${name}" needs a service and a port` };
  }
  const { namespace, host } = splitService(provider.service);
  const found = ctx.index.snapshot.services.some(
    (s) => s.hostname === host && (namespace === undefined || s.namespace === namespace),
  );
  if (!found) {
    return {
      kind: 'invalid',
      reason: `provider "${name}" names service "${provider.service}", which is not in the registry`,
    };
  }
  const target = { name, host, port: provider.port, cluster: outboundClusterName(provider.port, '', host) };
  return {
    kind: 'resolved',
    resolved: entry.envoyExtAuthzHttp
      ? { kind: 'http', provider: entry.envoyExtAuthzHttp, ...target }
      : { kind: 'grpc', provider: entry.envoyExtAuthzGrpc ?? {}, ...target },
  };
}
