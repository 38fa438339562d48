// Gateway credentials (`kubernetes://<name>`, the SDS secrets holding a credentialName's certificate and private
// key) reach only a stream whose token proves an identity in the secret's namespace. Istio asks Kubernetes whether
// the gateway's service account may read secrets there; without Kubernetes RBAC, the namespace is the boundary.
import { SECRET_TYPE_URL } from '@heddle/xds';
import type { ProxyResources, ResourceSet, XdsResource } from '../proxy-resources.ts';
import type { XdsCaller } from './xds-caller.ts';

const CREDENTIAL_PREFIX = 'kubernetes://';

/**
 * The namespace a credential secret is read from: `kubernetes://<namespace>/<name>` names it, and a bare
 * `kubernetes://<name>` is in the proxy's own namespace (as the translator reads it). Undefined for other
 * secrets (`ROOTCA`, `default`), which carry no private material of anyone else.
 */
export function credentialNamespace(secretName: string, nodeNamespace: string): string | undefined {
  if (!secretName.startsWith(CREDENTIAL_PREFIX)) return undefined;
  const rest = secretName.slice(CREDENTIAL_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : nodeNamespace;
}

export function mayReadCredentials(caller: XdsCaller, namespace: string): boolean {
  if (caller.admittedBy === 'auth-off') return true;
  return caller.identity !== undefined && caller.identity.namespace === namespace;
}

export interface GuardedResources {
  /** The same object as given when nothing was withheld. */
  readonly resources: ProxyResources;
  /** Names of the secrets left out, sorted. */
  readonly withheld: readonly string[];
}

/** The translation without the credential secrets this caller may not read. */
export function withholdCredentialSecrets(
  resources: ProxyResources,
  caller: XdsCaller,
  nodeNamespace: string,
): GuardedResources {
  const secrets = resources.get(SECRET_TYPE_URL);
  if (caller.admittedBy === 'auth-off' || !secrets) return { resources, withheld: [] };
  const withheld: string[] = [];
  for (const name of secrets.keys()) {
    const namespace = credentialNamespace(name, nodeNamespace);
    if (namespace !== undefined && !mayReadCredentials(caller, namespace)) withheld.push(name);
  }
  if (withheld.length === 0) return { resources, withheld };
  const kept: ResourceSet = new Map<string, XdsResource>(
    [...secrets].filter(([name]) => !withheld.includes(name)),
  );
  const guarded = new Map(resources);
  guarded.set(SECRET_TYPE_URL, kept);
  return { resources: guarded, withheld: withheld.sort() };
}
