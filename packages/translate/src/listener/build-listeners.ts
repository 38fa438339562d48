// Builds the Listener resources for one proxy.
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export function buildListeners(_ctx: TranslationContext): Listener[] {
  return [];
}
