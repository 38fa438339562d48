// The public surface of @heddle/xds: Envoy v3 types, type URLs, Any/TypedStruct helpers, naming, and the ADS service.
export * from './type-urls.ts';
export * from './resource-names.ts';
export { xdsRegistry, xdsToJson, xdsFromJson } from './registry.ts';
export { packAny, unpackAny, unpackAnyAs, typedStruct, unpackTypedStruct } from './any.ts';
export type { UntypedConfig } from './any.ts';
export {
  grpcServiceDefinition,
  aggregatedDiscoveryServiceDefinition,
  istioCertificateServiceDefinition,
} from './grpc-service.ts';
export type {
  GrpcServiceDefinition,
  GrpcServiceHandlers,
  GrpcServiceClient,
  AggregatedDiscoveryServiceHandlers,
  AggregatedDiscoveryServiceClient,
  IstioCertificateServiceHandlers,
  IstioCertificateServiceClient,
} from './grpc-service.ts';

// Selected generated types; everything else is under `@heddle/xds/gen/<proto path>_pb.ts`.
export { NodeSchema } from './gen/envoy/config/core/v3/base_pb.ts';
export type { Node } from './gen/envoy/config/core/v3/base_pb.ts';
export { ListenerSchema } from './gen/envoy/config/listener/v3/listener_pb.ts';
export type { Listener } from './gen/envoy/config/listener/v3/listener_pb.ts';
export { FilterChainSchema, FilterSchema } from './gen/envoy/config/listener/v3/listener_components_pb.ts';
export type { FilterChain, Filter } from './gen/envoy/config/listener/v3/listener_components_pb.ts';
export { RouteConfigurationSchema } from './gen/envoy/config/route/v3/route_pb.ts';
export type { RouteConfiguration } from './gen/envoy/config/route/v3/route_pb.ts';
export { VirtualHostSchema, RouteSchema } from './gen/envoy/config/route/v3/route_components_pb.ts';
export type { VirtualHost, Route } from './gen/envoy/config/route/v3/route_components_pb.ts';
export { ClusterSchema } from './gen/envoy/config/cluster/v3/cluster_pb.ts';
export type { Cluster } from './gen/envoy/config/cluster/v3/cluster_pb.ts';
export { ClusterLoadAssignmentSchema } from './gen/envoy/config/endpoint/v3/endpoint_pb.ts';
export type { ClusterLoadAssignment } from './gen/envoy/config/endpoint/v3/endpoint_pb.ts';
export {
  HttpConnectionManagerSchema,
  HttpFilterSchema,
} from './gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
export type {
  HttpConnectionManager,
  HttpFilter,
} from './gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
export { TcpProxySchema } from './gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
export type { TcpProxy } from './gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
export { RouterSchema } from './gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
export type { Router } from './gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
export { SecretSchema } from './gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
export type { Secret } from './gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
export {
  UpstreamTlsContextSchema,
  DownstreamTlsContextSchema,
} from './gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
export type {
  UpstreamTlsContext,
  DownstreamTlsContext,
} from './gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
export { TypedStructSchema } from './gen/xds/type/v3/typed_struct_pb.ts';
export type { TypedStruct } from './gen/xds/type/v3/typed_struct_pb.ts';
export {
  DiscoveryRequestSchema,
  DiscoveryResponseSchema,
  DeltaDiscoveryRequestSchema,
  DeltaDiscoveryResponseSchema,
  ResourceSchema,
} from './gen/envoy/service/discovery/v3/discovery_pb.ts';
export type {
  DiscoveryRequest,
  DiscoveryResponse,
  DeltaDiscoveryRequest,
  DeltaDiscoveryResponse,
  Resource,
} from './gen/envoy/service/discovery/v3/discovery_pb.ts';
export { AggregatedDiscoveryService } from './gen/envoy/service/discovery/v3/ads_pb.ts';
export * from './filter-names.ts';
