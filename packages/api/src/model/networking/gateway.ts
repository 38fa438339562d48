// The Gateway spec: listeners (port, hosts, TLS) opened on the proxies that the selector picks.
import type { Labels } from '../common.ts';
import type { NetworkingApiVersion, Resource } from '../resource.ts';

export type Gateway = Resource<'Gateway', GatewaySpec, NetworkingApiVersion>;

export interface GatewaySpec {
  readonly servers?: readonly Server[];
  /** Labels of the gateway proxies that open these servers (e.g. `istio: ingressgateway`), in any namespace. */
  readonly selector?: Labels;
}

/** One listener of a gateway: a port, the hosts served on it, and TLS. */
export interface Server {
  readonly port: Port;
  /** IP or `unix://` socket to bind; unset: `0.0.0.0`. */
  readonly bind?: string;
  /**
   * Hosts exposed, as `[namespace/]dnsName`: namespace `*` (or none) any, `.` the gateway's own;
   * `*` wildcards in the name. Only VirtualServices in those namespaces whose hosts fall within these
   * (and that name this gateway) are bound.
   */
  readonly hosts: readonly string[];
  readonly tls?: ServerTLSSettings;
  /** Loopback address or `unix://` socket to forward to instead of routing (sidecar-like gateways). */
  readonly defaultEndpoint?: string;
  /** Unique across all servers when set; prefixes the listener's stats. */
  readonly name?: string;
}

/** A listening port. */
export interface Port {
  readonly number: number;
  /** One of HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP, TLS (case-insensitive). */
  readonly protocol: string;
  readonly name: string;
  /** Only meaningful on ServiceEntry ports; ignored on gateways. */
  readonly targetPort?: number;
}

/** TLS a gateway (or a sidecar ingress listener) terminates or passes through. */
export interface ServerTLSSettings {
  /** Answer plain-HTTP requests with a 301 to HTTPS. */
  readonly httpsRedirect?: boolean;
  /** Unset is PASSTHROUGH (the enum's zero value). */
  readonly mode?: ServerTLSMode;
  /** Certificate file; SIMPLE/MUTUAL need it unless a credential or `tlsCertificates` is given. */
  readonly serverCertificate?: string;
  /** Key file; see `serverCertificate`. */
  readonly privateKey?: string;
  /** CA bundle file for verifying clients (MUTUAL, OPTIONAL_MUTUAL). */
  readonly caCertificates?: string;
  /** Certificate revocation list file for client certificates. */
  readonly caCrl?: string;
  /**
   * Secret (or ConfigMap for the CA) with `tls.crt`, `tls.key` and optionally `ca.crt`, or a separate
   * `<name>-cacert` secret; in the gateway's namespace.
   */
  readonly credentialName?: string;
  /** Up to two credentials (e.g. one RSA, one ECDSA); exclusive with `credentialName`. */
  readonly credentialNames?: readonly string[];
  /** Up to two inline certificate/key file pairs; exclusive with the other certificate fields. */
  readonly tlsCertificates?: readonly TLSCertificate[];
  /** Accepted client certificate SANs. */
  readonly subjectAltNames?: readonly string[];
  /** Base64 SHA-256 hashes of accepted client certificates' SPKIs. */
  readonly verifyCertificateSpki?: readonly string[];
  /** Hex SHA-256 hashes of accepted client certificates. */
  readonly verifyCertificateHash?: readonly string[];
  /** Default TLSV1_2. */
  readonly minProtocolVersion?: TLSProtocolVersion;
  /** Default TLSV1_3. */
  readonly maxProtocolVersion?: TLSProtocolVersion;
  /** Unset: Istio's default cipher list. */
  readonly cipherSuites?: readonly string[];
  /** Credential holding only the CA certificates for client verification. */
  readonly caCertCredentialName?: string;
}

/**
 * `PASSTHROUGH` routes on SNI without terminating; `SIMPLE` terminates; `MUTUAL` also requires a client
 * certificate, `OPTIONAL_MUTUAL` verifies one if sent; `AUTO_PASSTHROUGH` routes on SNI to
 * `outbound_.<port>_.<subset>_.<host>` clusters with no VirtualService (multi-network east-west gateways);
 * `ISTIO_MUTUAL` terminates with the mesh's own certificates.
 */
export type ServerTLSMode =
  'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'OPTIONAL_MUTUAL';

/** `TLS_AUTO` lets the proxy choose. */
export type TLSProtocolVersion = 'TLS_AUTO' | 'TLSV1_0' | 'TLSV1_1' | 'TLSV1_2' | 'TLSV1_3';

export interface TLSCertificate {
  readonly serverCertificate?: string;
  readonly privateKey?: string;
  readonly caCertificates?: string;
}
