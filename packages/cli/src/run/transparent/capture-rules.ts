// The nat rules that send a workload's TCP through its sidecar, in the shape of Istio's istio-iptables (the
// init container of an injected pod): inbound connections to 15006 except the sidecar's own serving ports;
// outbound connections to 15001 except loopback, the excluded addresses and whatever the sidecar itself
// opens (its uid and gid), so its upstream connections are not sent back to it. The sidecar's own loopback
// calls to the workload's address go back through inbound capture, as in Istio; 127.0.0.6 (the source
// Istio's inbound passthrough uses) is let alone. The text is `iptables-restore --noflush` input.

/** Istio's proxy uid and gid (istio-proxy), which the rules exclude from capture. */
export const PROXY_UID = 1337;
/** Where captured outbound connections go: the sidecar's virtualOutbound listener. */
export const OUTBOUND_CAPTURE_PORT = 15001;
/** Where captured inbound connections go: the sidecar's virtualInbound listener. */
export const INBOUND_CAPTURE_PORT = 15006;
/** The sidecar's health port (Istio's readiness port), never captured. */
export const HEALTH_PORT = 15021;

export interface CaptureRulesOptions {
  /** The uid (and gid) whose connections stay uncaptured; 1337 by default. */
  readonly proxyUid?: number;
  /** Inbound destination ports served by the sidecar itself; the health port by default. */
  readonly inboundExcludedPorts?: readonly number[];
  /** Outbound destinations (IPv4 addresses or CIDRs) reached directly, e.g. the control plane's address. */
  readonly outboundExcludedAddresses?: readonly string[];
}

export function captureRules(options: CaptureRulesOptions = {}): string {
  const uid = options.proxyUid ?? PROXY_UID;
  const excludedPorts = options.inboundExcludedPorts ?? [HEALTH_PORT];
  const owner = (match: 'uid' | 'gid'): string[] => [
    `-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -m owner --${match}-owner ${uid} -j ISTIO_IN_REDIRECT`,
    `-A ISTIO_OUTPUT -o lo -m owner ! --${match}-owner ${uid} -j RETURN`,
    `-A ISTIO_OUTPUT -m owner --${match}-owner ${uid} -j RETURN`,
  ];
  return [
    '*nat',
    ':ISTIO_INBOUND - [0:0]',
    ':ISTIO_IN_REDIRECT - [0:0]',
    ':ISTIO_OUTPUT - [0:0]',
    ':ISTIO_REDIRECT - [0:0]',
    '-A PREROUTING -p tcp -j ISTIO_INBOUND',
    '-A OUTPUT -p tcp -j ISTIO_OUTPUT',
    ...excludedPorts.map((port) => `-A ISTIO_INBOUND -p tcp --dport ${port} -j RETURN`),
    '-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT',
    `-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports ${INBOUND_CAPTURE_PORT}`,
    '-A ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN',
    ...owner('uid'),
    ...owner('gid'),
    '-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN',
    ...(options.outboundExcludedAddresses ?? []).map((address) => `-A ISTIO_OUTPUT -d ${address} -j RETURN`),
    '-A ISTIO_OUTPUT -j ISTIO_REDIRECT',
    `-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports ${OUTBOUND_CAPTURE_PORT}`,
    'COMMIT',
    '',
  ].join('\n');
}
