// `-n, --namespace <ns>`: checked as a Kubernetes namespace name (a DNS label) before anything is sent.
import { Option } from 'commander';
import { UsageError } from '../usage-error.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function namespaceOption(description: string): Option {
  return new Option('-n, --namespace <namespace>', description).argParser(parseNamespace);
}

function parseNamespace(value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new UsageError(
      `invalid namespace '${value}'`,
      'A namespace is lower-case letters, digits and "-", at most 63 characters, e.g. "shop".',
    );
  }
  return value;
}
