// Checks for v1 Service as a mesh service definition (ports, protocols, selector).
import { COMMON_CODES } from '../../findings/codes.ts';
import type { KindValidator } from '../../validate/rule-context.ts';
import { checkEnum, checkList, checkString, isRecord } from '../../mesh/field-checks.ts';
import { checkWildcardHost } from '../common/host.ts';
import { checkLabels } from '../common/selector.ts';
import { isDns1123Label } from '../common/values.ts';
import { checkServicePorts } from './service-ports.ts';

export const validateService: KindValidator = (ctx, spec) => {
  const metadata = isRecord(ctx.object.metadata) ? ctx.object.metadata : {};
  if (typeof metadata.name === 'string' && metadata.name.includes('.') && !isDns1123Label(metadata.name)) {
    ctx.error(
      COMMON_CODES.METADATA_NAME_INVALID,
      ['metadata', 'name'],
      `"${metadata.name}" has dots, but a Service name becomes a DNS label: use lower-case letters, digits and "-"`,
    );
  }
  const type = spec.type ?? 'ClusterIP';
  if (spec.type !== undefined)
    checkEnum(ctx, spec.type, ['spec', 'type'], ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
  const externalName = type === 'ExternalName';
  if (externalName) {
    if (spec.externalName === undefined || spec.externalName === '') {
      ctx.error(
        COMMON_CODES.REQUIRED_FIELD,
        ['spec', 'externalName'],
        'an ExternalName Service needs externalName: the DNS name it stands for',
      );
    } else if (checkString(ctx, spec.externalName, ['spec', 'externalName'])) {
      const problem = spec.externalName.includes('*')
        ? 'externalName must be one DNS name, not a wildcard'
        : checkWildcardHost(spec.externalName, { allowIp: false });
      if (problem) ctx.error(COMMON_CODES.HOST_INVALID, ['spec', 'externalName'], problem);
    }
  }
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports;
  if (ports === undefined || (Array.isArray(ports) && ports.length === 0)) {
    if (!externalName && !headless) {
      ctx.error(
        COMMON_CODES.REQUIRED_FIELD,
        ['spec', 'ports'],
        'a Service needs at least one port, e.g. ports: [{name: http-web, port: 80, targetPort: 8080}]',
      );
    }
  } else if (checkList(ctx, ports, ['spec', 'ports'])) {
    checkServicePorts(ctx, ports, ['spec', 'ports'], externalName);
  }
  if (spec.selector !== undefined) checkLabels(ctx, spec.selector, ['spec', 'selector']);
};
