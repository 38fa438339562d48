// istioctl proxy-status <proxy>: per xDS section, whether what the control plane sends is what the proxy
// holds, and a unified diff of the two when it is not.
import type { ConfigDump } from '../client/api-types.ts';
import { dumpResources, XDS_SECTIONS, type XdsSection } from './dump-resources.ts';
import { unifiedDiff } from './line-diff.ts';

export interface SectionComparison {
  readonly section: XdsSection;
  /** 'absent' when the proxy's dump has no such section (e.g. endpoints without `?include_eds`). */
  readonly state: 'match' | 'differ' | 'absent';
  /** The unified diff, control plane first; '' unless the state is 'differ'. */
  readonly diff: string;
}

export function compareDumps(controlPlane: ConfigDump, proxy: ConfigDump): SectionComparison[] {
  return XDS_SECTIONS.map((section) => {
    const sent = dumpResources(controlPlane, section) ?? [];
    const held = dumpResources(proxy, section);
    if (held === undefined) return { section, state: 'absent', diff: '' };
    const diff = unifiedDiff(render(sent), render(held), {
      from: `Control Plane ${section}`,
      to: `Proxy ${section}`,
    });
    return { section, state: diff === '' ? 'match' : 'differ', diff };
  });
}

function render(resources: readonly unknown[]): string {
  return `${JSON.stringify(resources, null, 2)}\n`;
}

export function renderComparison(comparisons: readonly SectionComparison[]): string {
  return comparisons
    .filter((comparison) => comparison.state !== 'absent')
    .map((comparison) =>
      comparison.state === 'match'
        ? `${comparison.section} Match\n`
        : `${comparison.section} Don't Match\n${comparison.diff}`,
    )
    .join('');
}
