// The ports of a v1 Service: numbers, names, target ports, and the protocol the mesh will use for each.
import { COMMON_CODES, INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkEnum, checkMap, checkString } from '../../mesh/field-checks.ts';
import { isDns1123Label, isValidPort } from '../common/values.ts';
import { ianaNameProblem, portProblem } from './port-names.ts';
import { portProtocol, protocolFromAppProtocol } from './port-protocol.ts';

export function checkServicePorts(
  ctx: RuleContext,
  ports: readonly unknown[],
  path: FieldPath,
  externalName: boolean,
): void {
  const names = new Set<string>();
  const numbers = new Set<string>();
  ports.forEach((port, index) => {
    const portPath = [...path, index];
    if (!checkMap(ctx, port, portPath)) return;
    const number = port.port;
    const transport = typeof port.protocol === 'string' ? port.protocol : 'TCP';
    if (number === undefined) {
      ctx.error(COMMON_CODES.REQUIRED_FIELD, [...portPath, 'port'], 'every Service port needs a port number');
    } else if (!isValidPort(number)) {
      ctx.error(COMMON_CODES.PORT_INVALID, [...portPath, 'port'], portProblem(number));
    } else if (numbers.has(`${number}/${transport}`)) {
      ctx.error(
        COMMON_CODES.DUPLICATE_ENTRY,
        [...portPath, 'port'],
        `port ${number}/${transport} is listed twice`,
      );
    } else {
      numbers.add(`${number}/${transport}`);
    }
    checkPortName(ctx, port.name, [...portPath, 'name'], ports.length, names);
    if (port.protocol !== undefined)
      checkEnum(ctx, port.protocol, [...portPath, 'protocol'], ['TCP', 'UDP', 'SCTP']);
    if (port.targetPort !== undefined) checkTargetPort(ctx, port.targetPort, [...portPath, 'targetPort']);
    if (port.nodePort !== undefined && !isValidPort(port.nodePort))
      ctx.error(COMMON_CODES.PORT_INVALID, [...portPath, 'nodePort'], portProblem(port.nodePort));
    checkProtocol(ctx, port, portPath, externalName);
  });
}

function checkPortName(
  ctx: RuleContext,
  name: unknown,
  path: FieldPath,
  portCount: number,
  names: Set<string>,
): void {
  if (name === undefined || name === '') {
    if (portCount > 1)
      ctx.error(
        COMMON_CODES.REQUIRED_FIELD,
        path,
        'a Service with several ports must name each one, e.g. http-web',
      );
    return;
  }
  if (!checkString(ctx, name, path)) return;
  if (!isDns1123Label(name)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      path,
      `"${name}" is not a valid port name: use lower-case letters, digits and "-"`,
    );
  } else if (names.has(name)) {
    ctx.error(COMMON_CODES.DUPLICATE_ENTRY, path, `another port is already named "${name}"`);
  }
  names.add(name);
}

function checkTargetPort(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (typeof value === 'number') {
    if (!isValidPort(value)) ctx.error(INSTALL_CODES.SERVICE_TARGET_PORT_INVALID, path, portProblem(value));
    return;
  }
  if (typeof value !== 'string') {
    ctx.error(
      INSTALL_CODES.SERVICE_TARGET_PORT_INVALID,
      path,
      'targetPort is a port number or a container port name',
    );
    return;
  }
  const problem = /^\d+$/.test(value)
    ? `"${value}" is quoted; write the port number ${value} without quotes`
    : ianaNameProblem(value);
  if (problem) ctx.error(INSTALL_CODES.SERVICE_TARGET_PORT_INVALID, path, problem);
}

function checkProtocol(
  ctx: RuleContext,
  port: Readonly<Record<string, unknown>>,
  path: FieldPath,
  externalName: boolean,
): void {
  const label = typeof port.port === 'number' ? `port ${port.port}` : 'this port';
  if (port.protocol === 'UDP') {
    ctx.info(
      INSTALL_CODES.SERVICE_UDP_NOT_PROXIED,
      [...path, 'protocol'],
      `UDP ${label} is not proxied by the mesh; its traffic goes directly to the workload`,
    );
    return;
  }
  if (typeof port.appProtocol === 'string' && !protocolFromAppProtocol(port.appProtocol)) {
    ctx.info(
      INSTALL_CODES.SERVICE_APP_PROTOCOL_UNKNOWN,
      [...path, 'appProtocol'],
      `appProtocol "${port.appProtocol}" is not a protocol the mesh knows (http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis), so the port name decides`,
    );
  }
  if (portProtocol(port)) return;
  if (externalName) {
    ctx.warn(
      INSTALL_CODES.SERVICE_EXTERNAL_NAME_PORT,
      port.name !== undefined ? [...path, 'name'] : path,
      `${label} of an ExternalName Service has no protocol, and the mesh cannot detect one for external names, so TCP traffic may be refused; name it tcp-… (or http-…, https-…) or set appProtocol`,
    );
    return;
  }
  ctx.info(
    INSTALL_CODES.SERVICE_PORT_PROTOCOL_UNSET,
    port.name !== undefined ? [...path, 'name'] : path,
    `${label} has no protocol: the mesh will sniff the first bytes to detect HTTP and otherwise treat it as TCP; name it http-…, grpc-…, tcp-… (e.g. http-web) or set appProtocol to make routing rules and metrics reliable`,
  );
}
