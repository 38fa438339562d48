// Stable codes of the warnings the listener builders emit for config that cannot apply as written.
export const LISTENER_WARNINGS = {
  /** A Gateway server names a credential that the secret store does not hold; the server is not served. */
  CREDENTIAL_MISSING: 'HEDDLE_TRANSLATE_CREDENTIAL_MISSING',
  /** Two filter chains of one listener match the same connections; the later one is dropped or narrowed. */
  FILTER_CHAIN_CONFLICT: 'HEDDLE_TRANSLATE_FILTER_CHAIN_CONFLICT',
  /** Gateway servers on one port mix plaintext and TLS (or HTTP and TCP); only the first kind is served. */
  GATEWAY_PORT_CONFLICT: 'HEDDLE_TRANSLATE_GATEWAY_PORT_CONFLICT',
  /** A TCP/TLS gateway server that no VirtualService routes; nothing listens for it. */
  GATEWAY_SERVER_UNROUTED: 'HEDDLE_TRANSLATE_GATEWAY_SERVER_UNROUTED',
  /** A gateway TLS mode or bind address Heddle does not translate. */
  GATEWAY_SERVER_UNSUPPORTED: 'HEDDLE_TRANSLATE_GATEWAY_SERVER_UNSUPPORTED',
  /** A route destination whose host is not in the registry. */
  DESTINATION_NOT_FOUND: 'HEDDLE_TRANSLATE_DESTINATION_NOT_FOUND',
  /** A route destination naming a subset that no DestinationRule defines. */
  SUBSET_NOT_FOUND: 'HEDDLE_TRANSLATE_SUBSET_NOT_FOUND',
  /** An address that is neither an IP nor a CIDR, where one is required. */
  INVALID_ADDRESS: 'HEDDLE_TRANSLATE_INVALID_ADDRESS',
} as const;
