// Istio analyzer message codes (istioctl analyze's IST0xxx) for Heddle's own finding codes that check the
// same thing, so that output and scripts written for istioctl read alike. Codes without one stay HEDDLE_*.

export const IST_CODES = {
  /** ReferencedResourceNotFound: a host, subset or gateway a rule names does not exist. */
  REFERENCED_RESOURCE_NOT_FOUND: 'IST0101',
  /** ConflictingMeshGatewayVirtualServiceHosts: several mesh VirtualServices for one host. */
  CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS: 'IST0109',
  /** NoMatchingWorkloadsFound: a selector that selects no workload. */
  NO_MATCHING_WORKLOADS_FOUND: 'IST0127',
} as const;

const FROM_HEDDLE: Readonly<Record<string, string>> = {
  HEDDLE_VIRTUALSERVICE_UNREACHABLE_RULE: 'IST0130',
  HEDDLE_VIRTUALSERVICE_INEFFECTIVE_MATCH: 'IST0131',
  HEDDLE_SERVICE_ENTRY_ADDRESSES_REQUIRED: 'IST0134',
  HEDDLE_ENVOY_FILTER_RELATIVE_OPERATION: 'IST0151',
  HEDDLE_ENVOY_FILTER_REPLACE_MISUSED: 'IST0152',
  HEDDLE_ENVOY_FILTER_ADD_IGNORED: 'IST0153',
  HEDDLE_ENVOY_FILTER_REMOVE_IGNORED: 'IST0154',
  HEDDLE_ENVOY_FILTER_RELATIVE_WITH_PROXY_VERSION: 'IST0155',
};

/** The code to print: Istio's where one matches, else Heddle's. */
export function printedCode(code: string): string {
  return FROM_HEDDLE[code] ?? code;
}
