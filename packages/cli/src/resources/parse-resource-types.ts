// Reads the TYPE argument of get and delete: one type or a comma list (`vs,dr`), each a kubectl-style name.
import { UsageError } from '../usage-error.ts';
import { RESOURCE_TYPES, findResourceType, type ResourceType } from './resource-types.ts';

export function parseResourceTypes(argument: string, verb: string): ResourceType[] {
  const words = argument.split(',').filter((word) => word !== '');
  if (words.length === 0) throw unknownType(argument, verb);
  const types: ResourceType[] = [];
  for (const word of words) {
    const type = findResourceType(word);
    if (!type) throw unknownType(word, verb);
    if (!types.includes(type)) types.push(type);
  }
  return types;
}

function unknownType(word: string, verb: string): UsageError {
  const known = RESOURCE_TYPES.map((type) =>
    type.shortNames.length > 0 ? `${type.plural} (${type.shortNames.join(', ')})` : type.plural,
  );
  return new UsageError(
    `unknown resource type '${word}'`,
    `Types: ${known.join(', ')}. Run 'heddle ${verb} --help' for usage.`,
  );
}
