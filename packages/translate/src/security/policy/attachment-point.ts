// The attachment point of one inbound port (sidecar) or gateway listener port, for policy selection.
import { inboundPorts } from '../../cluster/inbound-ports.ts';
import type { MeshService } from '../../model/service.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import type { AttachmentPoint } from './policy-targets.ts';

export function attachmentPoint(ctx: TranslationContext, port: number): AttachmentPoint {
  const { node } = ctx;
  const base = { node, rootNamespace: ctx.index.rootNamespace };
  if (node.role !== 'sidecar') return { ...base, services: () => [] };
  let services: readonly MeshService[] | undefined;
  return {
    ...base,
    services: () => {
      if (!services) {
        const hostnames = new Set(inboundPorts(ctx).find((p) => p.port === port)?.hostnames ?? []);
        services = ctx.index.snapshot.services.filter((s) => hostnames.has(s.hostname));
      }
      return services;
    },
  };
}
