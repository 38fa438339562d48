// Builds the Listener resources for one proxy: gateway servers, or a sidecar's capture-mode listeners.
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { TranslationWarning } from '../model/translation-output.ts';
import { withTcpAccessLogs } from '../telemetry/logs-and-tracing/tcp-access-logs.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { buildExplicitCaptureListeners } from './explicit-capture.ts';
import { buildGatewayListeners } from './gateway-listeners.ts';
import { buildSidecarOutboundListeners } from './sidecar-outbound.ts';
import { buildVirtualInboundListener } from './sidecar-inbound.ts';
import { buildVirtualOutboundListener } from './virtual-outbound.ts';

export function buildListeners(parent: TranslationContext): Listener[] {
  const ctx = withWarningsOnce(parent);
  return withTcpAccessLogs(ctx, listenersOf(ctx));
}

function listenersOf(ctx: TranslationContext): Listener[] {
  if (ctx.node.role === 'router') return buildGatewayListeners(ctx);
  if (ctx.node.capture === 'explicit') return buildExplicitCaptureListeners(ctx);
  return [
    buildVirtualOutboundListener(ctx),
    ...buildSidecarOutboundListeners(ctx),
    buildVirtualInboundListener(ctx),
  ];
}

/** One rule reached through several services or ports (a wildcard VirtualService) is reported once. */
function withWarningsOnce(ctx: TranslationContext): TranslationContext {
  const seen = new Set<string>();
  return {
    ...ctx,
    warn(warning: TranslationWarning) {
      const key = `${warning.code}\n${warning.resource ?? ''}\n${warning.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.warn(warning);
    },
  };
}
