// Finds the service `x describe service` names: `name`, `name.namespace`, or a host name as the registry has it.
import type { MeshService } from '@heddle/translate';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';

export function findService(
  services: readonly MeshService[],
  argument: string,
  namespace: string | undefined,
): MeshService {
  const wanted = argument.toLowerCase();
  const byHost = services.filter((service) => service.hostname === wanted);
  if (byHost.length > 0) return byHost[0] as MeshService;
  const [name = '', inName] = wanted.split('.', 2);
  const ns = inName ?? namespace;
  const matches = services.filter(
    (service) => service.name === name && (ns === undefined || service.namespace === ns),
  );
  if (matches.length === 1) return matches[0] as MeshService;
  if (matches.length === 0) {
    const where = ns === undefined ? '' : ` in namespace "${ns}"`;
    throw new CliError(
      `no service "${name}"${where} is in the registry (see 'heddle get se -A')`,
      EXIT_CODES.NOT_FOUND,
    );
  }
  const namespaces = matches.map((service) => service.namespace).join(', ');
  throw new UsageError(
    `service "${name}" exists in several namespaces: ${namespaces}`,
    `Name one: '${name}.<namespace>' or -n <namespace>.`,
  );
}
