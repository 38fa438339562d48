// Ports and bind addresses of Sidecar listeners, shared by ingress and egress.
import { COMMON_CODES, REGISTRY_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isIP } from '../../common/ip.ts';
import { closestName, isDns1123Label } from '../../common/values.ts';
import { portNumberProblem } from './port-number.ts';
import { KNOWN_PROTOCOLS, isKnownProtocol } from './protocol.ts';
import { numberAt, stringAt, type Struct } from './read.ts';

/** Checks a listener port; `allowZero` admits port 0, which egress uses for Unix domain sockets. */
export function checkSidecarPort(
  ctx: RuleContext,
  port: Struct,
  path: FieldPath,
  options: { allowZero: boolean },
): void {
  const target = numberAt(port.targetPort);
  if (target !== undefined && target > 0) {
    ctx.error(
      REGISTRY_CODES.SIDECAR_TARGET_PORT,
      [...path, 'targetPort'],
      'targetPort has no effect on a Sidecar listener; remove it',
    );
  }
  const name = stringAt(port.name);
  if (name && !isDns1123Label(name)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      [...path, 'name'],
      `port name "${name}" is not valid; use lower-case letters, digits and "-"`,
    );
  }
  const protocol = stringAt(port.protocol);
  if (protocol && !isKnownProtocol(protocol)) {
    const suggestion = closestName(protocol.toUpperCase(), KNOWN_PROTOCOLS);
    ctx.error(
      REGISTRY_CODES.PROTOCOL_UNKNOWN,
      [...path, 'protocol'],
      `"${protocol}" is not a protocol Istio knows; use one of ${KNOWN_PROTOCOLS.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
    );
  }
  const number = numberAt(port.number);
  if (number === undefined || (options.allowZero && number === 0)) return;
  const problem = portNumberProblem(number, options.allowZero ? ' (or 0 with a unix:// bind)' : '');
  if (problem) ctx.error(COMMON_CODES.PORT_INVALID, [...path, 'number'], problem);
}

export function checkBindIp(ctx: RuleContext, bind: unknown, path: FieldPath): void {
  if (typeof bind !== 'string' || bind === '' || isIP(bind) !== 0) return;
  ctx.error(
    COMMON_CODES.IP_INVALID,
    path,
    `"${bind}" is not an IP address to listen on (e.g. 127.0.0.1 or 0.0.0.0)`,
  );
}
