// The ADS service definition with a deserializer that never throws, so that a stream sending bytes that are not
// a DiscoveryRequest is closed by us with INVALID_ARGUMENT (grpc-js itself would answer INTERNAL).
import type { MethodDefinition } from '@grpc/grpc-js';
import { aggregatedDiscoveryServiceDefinition } from '@heddle/xds';

/** Stands in for a request whose bytes could not be decoded. */
export class UndecodableRequest {
  readonly reason: string;

  constructor(reason: string) {
    this.reason = reason;
  }
}

function tolerant<Req, Res>(
  method: MethodDefinition<Req, Res>,
): MethodDefinition<Req | UndecodableRequest, Res> {
  return {
    ...method,
    requestDeserialize: (bytes: Buffer) => {
      try {
        return method.requestDeserialize(bytes);
      } catch (error) {
        return new UndecodableRequest(error instanceof Error ? error.message : String(error));
      }
    },
    requestSerialize: (message: Req | UndecodableRequest) => {
      if (message instanceof UndecodableRequest) throw new Error('an undecodable request cannot be sent');
      return method.requestSerialize(message);
    },
  };
}

export const tolerantAdsDefinition = {
  streamAggregatedResources: tolerant(aggregatedDiscoveryServiceDefinition.streamAggregatedResources),
  deltaAggregatedResources: tolerant(aggregatedDiscoveryServiceDefinition.deltaAggregatedResources),
};
