// @grpc/grpc-js service definitions for generated services, encoded with @bufbuild/protobuf's binary format.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, Message, MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import type {
  CallOptions,
  Client,
  ClientDuplexStream,
  ClientReadableStream,
  ClientUnaryCall,
  ClientWritableStream,
  Metadata,
  MethodDefinition,
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  requestCallback,
} from '@grpc/grpc-js';
import { AggregatedDiscoveryService } from './gen/envoy/service/discovery/v3/ads_pb.ts';
import { IstioCertificateService } from './gen/istio/v1/auth/ca_pb.ts';

type Method = GenServiceMethods[string];
type In<M extends Method> = MessageShape<M['input']>;
type Out<M extends Method> = MessageShape<M['output']>;

/** Method definitions keyed by the method's camelCase name (the PascalCase proto name is an alias on clients). */
export type GrpcServiceDefinition<Methods extends GenServiceMethods> = {
  readonly [K in keyof Methods]: MethodDefinition<In<Methods[K]>, Out<Methods[K]>>;
};

/** The handlers a server passes to `server.addService(definition, handlers)`. */
export type GrpcServiceHandlers<Methods extends GenServiceMethods> = {
  [K in keyof Methods]: {
    unary: handleUnaryCall<In<Methods[K]>, Out<Methods[K]>>;
    server_streaming: handleServerStreamingCall<In<Methods[K]>, Out<Methods[K]>>;
    client_streaming: handleClientStreamingCall<In<Methods[K]>, Out<Methods[K]>>;
    bidi_streaming: handleBidiStreamingCall<In<Methods[K]>, Out<Methods[K]>>;
  }[Methods[K]['methodKind']];
};

/** The shape of a client made by `makeGenericClientConstructor(definition, name)`. */
export type GrpcServiceClient<Methods extends GenServiceMethods> = Client & {
  [K in keyof Methods]: {
    unary: (
      request: In<Methods[K]>,
      metadata: Metadata,
      options: Partial<CallOptions>,
      callback: requestCallback<Out<Methods[K]>>,
    ) => ClientUnaryCall;
    server_streaming: (
      request: In<Methods[K]>,
      metadata?: Metadata,
      options?: Partial<CallOptions>,
    ) => ClientReadableStream<Out<Methods[K]>>;
    client_streaming: (
      metadata: Metadata,
      options: Partial<CallOptions>,
      callback: requestCallback<Out<Methods[K]>>,
    ) => ClientWritableStream<In<Methods[K]>>;
    bidi_streaming: (
      metadata?: Metadata,
      options?: Partial<CallOptions>,
    ) => ClientDuplexStream<In<Methods[K]>, Out<Methods[K]>>;
  }[Methods[K]['methodKind']];
};

export function grpcServiceDefinition<Methods extends GenServiceMethods>(
  service: GenService<Methods>,
): GrpcServiceDefinition<Methods> {
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of service.methods) {
    const streamsRequests =
      method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming';
    const streamsResponses =
      method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming';
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: streamsRequests,
      responseStream: streamsResponses,
      requestSerialize: serializer(method.input),
      requestDeserialize: deserializer(method.input),
      responseSerialize: serializer(method.output),
      responseDeserialize: deserializer(method.output),
      originalName: method.name,
    };
  }
  // Each entry was built from the descriptor that GenService<Methods> types, so the shapes agree.
  return definition as unknown as GrpcServiceDefinition<Methods>;
}

function serializer(schema: DescMessage): (message: Message) => Buffer {
  return (message) => {
    const bytes = toBinary(schema, message);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(schema: DescMessage): (bytes: Buffer) => Message {
  return (bytes) => fromBinary(schema, bytes);
}

type AdsMethods = typeof AggregatedDiscoveryService extends GenService<infer Methods> ? Methods : never;

/** `envoy.service.discovery.v3.AggregatedDiscoveryService`: StreamAggregatedResources (SotW) and DeltaAggregatedResources. */
export const aggregatedDiscoveryServiceDefinition = grpcServiceDefinition(AggregatedDiscoveryService);
export type AggregatedDiscoveryServiceHandlers = GrpcServiceHandlers<AdsMethods>;
export type AggregatedDiscoveryServiceClient = GrpcServiceClient<AdsMethods>;

type CaMethods = typeof IstioCertificateService extends GenService<infer Methods> ? Methods : never;

/** `istio.v1.auth.IstioCertificateService`: CreateCertificate, the workload agent's CSR call to the mesh CA. */
export const istioCertificateServiceDefinition = grpcServiceDefinition(IstioCertificateService);
export type IstioCertificateServiceHandlers = GrpcServiceHandlers<CaMethods>;
export type IstioCertificateServiceClient = GrpcServiceClient<CaMethods>;
