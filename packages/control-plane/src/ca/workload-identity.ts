// A workload's identity (namespace + service account) and its SPIFFE ID in a trust domain.

export interface WorkloadIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

// Kubernetes' rules: a namespace is a DNS label, a service account name a DNS subdomain. Both keep `/`, `%`
// and other URI delimiters out of the SPIFFE ID, so the ID a certificate carries cannot be forged by a name.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** A message saying what is wrong with the identity, or undefined when it is valid. */
export function identityProblem(identity: WorkloadIdentity): string | undefined {
  const { namespace, serviceAccount } = identity;
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace))
    return `namespace "${String(namespace)}" must be a DNS label (lower case letters, digits and "-", at most 63)`;
  if (typeof serviceAccount !== 'string' || !DNS_SUBDOMAIN.test(serviceAccount))
    return `service account "${String(serviceAccount)}" must be a DNS subdomain (lower case letters, digits, "-" and ".")`;
  return undefined;
}

/** `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>`. */
export function spiffeId(trustDomain: string, identity: WorkloadIdentity): string {
  return `spiffe://${trustDomain}/ns/${identity.namespace}/sa/${identity.serviceAccount}`;
}
