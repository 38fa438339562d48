// ServiceEntry ports: unique names and numbers, valid protocol, and the virtual-IP warning for TCP (IST0134).
import { COMMON_CODES, REGISTRY_CODES } from '../../../findings/codes.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { closestName, isDns1123Label } from '../../common/values.ts';
import { portNumberProblem } from './port-number.ts';
import { KNOWN_PROTOCOLS, isKnownProtocol, normalizeProtocol } from './protocol.ts';
import { isStruct, listAt, numberAt, stringAt } from './read.ts';

export interface ServicePort {
  readonly index: number;
  readonly name: string | undefined;
  readonly number: number | undefined;
  /** Upper-cased protocol; '' when unset. */
  readonly protocol: string;
}

/** Checks `spec.ports` and returns the ports that could be read. */
export function checkServiceEntryPorts(
  ctx: RuleContext,
  spec: Readonly<Record<string, unknown>>,
): ServicePort[] {
  const ports: ServicePort[] = [];
  const names = new Set<string>();
  const numbers = new Set<number>();
  const hasAddresses = listAt(spec.addresses).length > 0;
  listAt(spec.ports).forEach((raw, index) => {
    if (!isStruct(raw)) return;
    const path = ['spec', 'ports', index];
    const name = stringAt(raw.name);
    const number = numberAt(raw.number);
    const protocol = normalizeProtocol(raw.protocol);
    ports.push({ index, name, number, protocol });

    if (name !== undefined) {
      if (!isDns1123Label(name)) {
        ctx.error(
          COMMON_CODES.NAME_INVALID,
          [...path, 'name'],
          `port name "${name}" is not valid; use lower-case letters, digits and "-" (e.g. "http-web")`,
        );
      } else if (names.has(name)) {
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          [...path, 'name'],
          `port name "${name}" is already used; names must be unique`,
        );
      }
      names.add(name);
    }
    const numberProblem = number === undefined ? undefined : portNumberProblem(number);
    if (numberProblem) {
      ctx.error(COMMON_CODES.PORT_INVALID, [...path, 'number'], numberProblem);
    } else if (number !== undefined && number >= 0) {
      if (numbers.has(number)) {
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          [...path, 'number'],
          `port ${number} is already defined; port numbers must be unique`,
        );
      }
      numbers.add(number);
    }
    // targetPort 0 means "same as number".
    const target = numberAt(raw.targetPort);
    const targetProblem = target === undefined || target === 0 ? undefined : portNumberProblem(target);
    if (targetProblem) ctx.error(COMMON_CODES.PORT_INVALID, [...path, 'targetPort'], targetProblem);
    if (protocol !== '' && !isKnownProtocol(protocol)) {
      const suggestion = closestName(protocol, KNOWN_PROTOCOLS);
      ctx.error(
        REGISTRY_CODES.PROTOCOL_UNKNOWN,
        [...path, 'protocol'],
        `"${String(raw.protocol)}" is not a protocol Istio knows; use one of ${KNOWN_PROTOCOLS.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
    }
    if (!hasAddresses && (protocol === '' || protocol === 'TCP')) {
      ctx.warn(
        REGISTRY_CODES.SERVICE_ENTRY_ADDRESSES_REQUIRED,
        protocol === '' ? path : [...path, 'protocol'],
        `${protocol === '' ? 'a port without protocol is treated as TCP, and ' : ''}TCP connections carry no host name, so without addresses (a virtual IP) the proxy cannot tell this service's traffic on port ${number ?? '?'} from other services; add addresses, or set protocol HTTP/TLS if that is what it serves`,
      );
    }
  });
  return ports;
}
