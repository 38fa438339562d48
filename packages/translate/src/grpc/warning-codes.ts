// Stable codes of the warnings the proxyless gRPC generator emits for config a gRPC client cannot apply.
export const GRPC_WARNINGS = {
  /** A route gRPC clients would reject (redirect, direct response) or that can never match a gRPC request. */
  ROUTE_SKIPPED: 'HEDDLE_TRANSLATE_GRPC_ROUTE_SKIPPED',
  /** A VirtualService or DestinationRule field that gRPC clients do not implement; it is left out. */
  UNSUPPORTED_FIELD: 'HEDDLE_TRANSLATE_GRPC_UNSUPPORTED_FIELD',
  /** A service or endpoint a gRPC client cannot reach through xDS (no IP literal, passthrough resolution). */
  UNREACHABLE: 'HEDDLE_TRANSLATE_GRPC_UNREACHABLE',
} as const;
