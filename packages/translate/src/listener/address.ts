// Socket addresses and the `<address>_<port>` names of the listeners bound to them.
import { create } from '@bufbuild/protobuf';
import { AddressSchema, type Address } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';

export const ANY_ADDRESS = '0.0.0.0';
export const LOOPBACK_ADDRESS = '127.0.0.1';

export function socketAddress(address: string, port: number): Address {
  return create(AddressSchema, {
    address: { case: 'socketAddress', value: { address, portSpecifier: { case: 'portValue', value: port } } },
  });
}
