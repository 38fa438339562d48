// Semantic rules for ServiceEntry: hosts, addresses, ports, resolution modes, endpoints and exportTo.
import { COMMON_CODES, REGISTRY_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkWildcardHost } from '../common/host.ts';
import { checkLabels } from '../common/selector.ts';
import { isCidr } from '../common/values.ts';
import { checkExportTo } from '../common/export-to.ts';
import { listAt, structAt, type Struct } from './registry/read.ts';
import { checkServiceEntryIntent } from './registry/service-entry-intent.ts';
import { checkServiceEntryPorts } from './registry/service-entry-ports.ts';
import { checkMultipleHosts, checkResolution } from './registry/service-entry-resolution.ts';

export const validateServiceEntry: KindValidator = (ctx, spec) => {
  const selector = structAt(spec.workloadSelector);
  if (selector) {
    checkLabels(ctx, selector.labels ?? {}, ['spec', 'workloadSelector', 'labels'], {
      emptyWarning: 'workloadSelector has no labels, so it selects every workload in the namespace',
    });
    if (listAt(spec.endpoints).length > 0) {
      ctx.error(
        COMMON_CODES.CONFLICTING_FIELDS,
        ['spec', 'endpoints'],
        'a ServiceEntry takes its endpoints either from workloadSelector or from endpoints, not both; remove one',
      );
    }
  }
  checkHosts(ctx, spec);
  checkAddresses(ctx, spec);
  const ports = checkServiceEntryPorts(ctx, spec);
  checkResolution(ctx, spec, ports);
  checkMultipleHosts(ctx, spec, ports);
  checkExportTo(ctx, spec.exportTo, ['spec', 'exportTo'], { allowTilde: true });
  checkServiceEntryIntent(ctx, spec, ports);
};

function checkHosts(ctx: RuleContext, spec: Struct): void {
  listAt(spec.hosts).forEach((host, index) => {
    if (typeof host !== 'string') return;
    const path = ['spec', 'hosts', index];
    if (host === '*') {
      ctx.error(
        COMMON_CODES.HOST_INVALID,
        path,
        'a ServiceEntry cannot claim every host ("*"); list the hosts, or a wildcard such as "*.example.com"',
      );
      return;
    }
    const problem = checkWildcardHost(host);
    if (problem) {
      ctx.error(COMMON_CODES.HOST_INVALID, path, problem);
    } else if (host.startsWith('*') && !host.startsWith('*.')) {
      ctx.warn(
        REGISTRY_CODES.SERVICE_ENTRY_PARTIAL_WILDCARD,
        path,
        `"${host}" is a partial wildcard, which matches unexpected names (it also matches "x${host.slice(1)}"); write "*.${host.slice(1).replace(/^\./, '')}"`,
      );
    }
  });
}

function checkAddresses(ctx: RuleContext, spec: Struct): void {
  const resolution = typeof spec.resolution === 'string' ? spec.resolution : 'NONE';
  listAt(spec.addresses).forEach((address, index) => {
    if (typeof address !== 'string') return;
    const path = ['spec', 'addresses', index];
    if (!isCidr(address)) {
      ctx.error(
        COMMON_CODES.IP_INVALID,
        path,
        `"${address}" is not an IP address or CIDR block (e.g. 10.0.0.1 or 10.0.0.0/24)`,
      );
      return;
    }
    if (address.includes('/') && resolution !== 'NONE' && resolution !== 'STATIC') {
      ctx.error(
        REGISTRY_CODES.SERVICE_ENTRY_CIDR_RESOLUTION,
        path,
        `a CIDR block only works with resolution NONE or STATIC (this one is ${resolution}); use single IPs or change the resolution`,
      );
    }
  });
}
