// Checks a WorkloadRegistration sent as JSON, field by field, before it reaches the registry.
import { CONTROL_PLANE_CODES } from '../errors.ts';
import type { WorkloadRegistration } from '../registry/registration.ts';
import { isRecord } from '../store/resource-key.ts';
import { HttpError } from './http-error.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function parseRegistration(value: unknown): WorkloadRegistration {
  if (!isRecord(value)) fail('the body must be a JSON object (a WorkloadRegistration)');
  const name = requiredString(value, 'name');
  const namespace = requiredString(value, 'namespace');
  if (!DNS_SUBDOMAIN.test(name))
    fail(`name "${name}" must be a DNS subdomain (lower case, digits, "-", ".")`);
  if (!DNS_LABEL.test(namespace)) fail(`namespace "${namespace}" must be a DNS label`);
  const address = requiredString(value, 'address');
  return {
    name,
    namespace,
    address,
    ports: portMap(value.ports),
    labels: stringMap(value.labels, 'labels'),
    ...optionalString(value, 'serviceAccount'),
    ...optionalString(value, 'locality'),
    ...optionalString(value, 'network'),
    ...optionalWeight(value.weight),
  };
}

function requiredString(value: Record<string, unknown>, field: string): string {
  const text = value[field];
  if (typeof text !== 'string' || text === '') fail(`${field} is required and must be a non-empty string`);
  return text;
}

function optionalString(value: Record<string, unknown>, field: string): Record<string, string> {
  const text = value[field];
  if (text === undefined) return {};
  if (typeof text !== 'string') fail(`${field} must be a string`);
  return { [field]: text };
}

function portMap(value: unknown): Record<string, number> {
  if (value === undefined) return {};
  if (!isRecord(value)) fail('ports must be a map of port name to number');
  const ports: Record<string, number> = {};
  for (const [name, port] of Object.entries(value)) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      fail(`ports.${name} must be a port number (1-65535)`);
    ports[name] = port;
  }
  return ports;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) fail(`${field} must be a map of strings`);
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') fail(`${field}.${key} must be a string`);
    map[key] = item;
  }
  return map;
}

function optionalWeight(value: unknown): { weight?: number } {
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 4294967295)
    fail('weight must be an integer between 1 and 4294967295');
  return { weight: value };
}

function fail(message: string): never {
  throw new HttpError(400, CONTROL_PLANE_CODES.WORKLOAD_INVALID, message);
}
