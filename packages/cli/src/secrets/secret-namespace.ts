// Where secrets go when no namespace is given: the gateways' namespace, where credentialName is looked up.

export const SECRET_NAMESPACE = 'istio-system';
