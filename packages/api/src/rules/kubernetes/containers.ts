// The containers of a pod template: names, ports, resources, and the proxy's reserved user ID.
import { COMMON_CODES, INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkEnum, checkList, checkMap, checkString, isRecord } from '../../mesh/field-checks.ts';
import { checkResources } from '../install/resources.ts';
import { isDns1123Label, isValidPort } from '../common/values.ts';
import { ianaNameProblem, portProblem } from './port-names.ts';

/** The sidecar runs as this UID; traffic from it bypasses capture, so an app using it escapes the mesh. */
export const PROXY_UID = 1337;

export function checkContainers(ctx: RuleContext, value: unknown, path: FieldPath, required: boolean): void {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    if (required) ctx.error(COMMON_CODES.REQUIRED_FIELD, path, 'a pod template needs at least one container');
    return;
  }
  if (!checkList(ctx, value, path)) return;
  const names = new Set<string>();
  value.forEach((container, index) => {
    const containerPath = [...path, index];
    if (!checkMap(ctx, container, containerPath)) return;
    const name = container.name;
    if (name === undefined || name === '') {
      ctx.error(COMMON_CODES.REQUIRED_FIELD, [...containerPath, 'name'], 'every container needs a name');
    } else if (checkString(ctx, name, [...containerPath, 'name'])) {
      if (!isDns1123Label(name))
        ctx.error(
          COMMON_CODES.NAME_INVALID,
          [...containerPath, 'name'],
          `"${name}" is not a valid container name`,
        );
      else if (names.has(name))
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          [...containerPath, 'name'],
          `another container is named "${name}"`,
        );
      names.add(name);
    }
    if (required && (container.image === undefined || container.image === ''))
      ctx.error(COMMON_CODES.REQUIRED_FIELD, [...containerPath, 'image'], 'every container needs an image');
    if (container.ports !== undefined) checkContainerPorts(ctx, container.ports, [...containerPath, 'ports']);
    if (container.resources !== undefined)
      checkResources(ctx, container.resources, [...containerPath, 'resources']);
    checkRunAsUser(ctx, container.securityContext, [...containerPath, 'securityContext']);
  });
}

function checkContainerPorts(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (!checkList(ctx, value, path)) return;
  const names = new Set<string>();
  value.forEach((port, index) => {
    const portPath = [...path, index];
    if (!checkMap(ctx, port, portPath)) return;
    if (port.containerPort === undefined) {
      ctx.error(
        COMMON_CODES.REQUIRED_FIELD,
        [...portPath, 'containerPort'],
        'every container port needs containerPort',
      );
    } else if (!isValidPort(port.containerPort)) {
      ctx.error(COMMON_CODES.PORT_INVALID, [...portPath, 'containerPort'], portProblem(port.containerPort));
    }
    if (port.name !== undefined && checkString(ctx, port.name, [...portPath, 'name'])) {
      const problem = ianaNameProblem(port.name);
      if (problem) ctx.error(COMMON_CODES.NAME_INVALID, [...portPath, 'name'], problem);
      else if (names.has(port.name))
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          [...portPath, 'name'],
          `another port is named "${port.name}"`,
        );
      names.add(port.name);
    }
    if (port.protocol !== undefined)
      checkEnum(ctx, port.protocol, [...portPath, 'protocol'], ['TCP', 'UDP', 'SCTP']);
  });
}

/** Warns when a securityContext runs as the proxy's UID (Istio's IST0144). */
export function checkRunAsUser(ctx: RuleContext, securityContext: unknown, path: FieldPath): void {
  if (!isRecord(securityContext) || securityContext.runAsUser !== PROXY_UID) return;
  ctx.warn(
    INSTALL_CODES.DEPLOYMENT_PROXY_UID,
    [...path, 'runAsUser'],
    `UID ${PROXY_UID} is reserved for the sidecar proxy: traffic from this user bypasses the mesh (no mTLS, no policy); run the application as another user`,
  );
}
