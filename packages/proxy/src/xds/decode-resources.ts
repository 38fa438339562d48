// Decodes the Anys of one DiscoveryResponse into named messages, refusing the whole response on the first
// resource that has the wrong type, does not decode, has no name or repeats a name.
import type { Message } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { TYPE_URL_PREFIX, unpackAny, type Resource } from '@heddle/xds';
import type { DecodedResource } from './decoded-resource.ts';

const RESOURCE_WRAPPER_TYPE_URL = `${TYPE_URL_PREFIX}envoy.service.discovery.v3.Resource`;

export type DecodeResult =
  | { readonly resources: Map<string, DecodedResource>; readonly error?: undefined }
  | { readonly error: string };

export function decodeResources(typeUrl: string, anys: readonly Any[]): DecodeResult {
  const resources = new Map<string, DecodedResource>();
  const kind = typeUrl.slice(typeUrl.lastIndexOf('.') + 1);
  for (const [index, wrapped] of anys.entries()) {
    let any = wrapped;
    let wrapperName = '';
    if (any.typeUrl === RESOURCE_WRAPPER_TYPE_URL) {
      const wrapper = tryDecode(any) as Resource | Error | undefined;
      if (wrapper instanceof Error)
        return { error: `${kind} resource #${index} does not decode: ${wrapper.message}` };
      if (!wrapper?.resource) return { error: `${kind} resource #${index}: an empty Resource wrapper` };
      wrapperName = wrapper.name;
      any = wrapper.resource;
    }
    if (any.typeUrl !== typeUrl)
      return { error: `${kind} resource #${index}: type ${any.typeUrl} in a response for ${typeUrl}` };
    const message = tryDecode(any);
    if (message instanceof Error)
      return { error: `${kind} resource #${index} does not decode: ${message.message}` };
    if (!message) return { error: `${kind} resource #${index}: unknown type ${any.typeUrl}` };
    const name = wrapperName !== '' ? wrapperName : resourceName(message);
    if (name === undefined || name === '') return { error: `${kind} resource #${index} has no name` };
    if (resources.has(name)) return { error: `${kind} "${name}" appears twice in one response` };
    resources.set(name, { name, any, message });
  }
  return { resources };
}

/** The name xDS keys a resource by: `cluster_name` for a ClusterLoadAssignment, `name` for the others. */
export function resourceName(message: Message): string | undefined {
  const fields = message as unknown as { readonly name?: unknown; readonly clusterName?: unknown };
  if (message.$typeName === 'envoy.config.endpoint.v3.ClusterLoadAssignment')
    return typeof fields.clusterName === 'string' ? fields.clusterName : undefined;
  return typeof fields.name === 'string' ? fields.name : undefined;
}

function tryDecode(any: Any): Message | Error | undefined {
  try {
    return unpackAny(any);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
