// Objects as multi-document YAML (`---` between them), the form `heddle apply -f` reads back.
import { stringify } from 'yaml';

export function toYamlDocuments(objects: readonly unknown[]): string {
  // No line folding and no anchors: what is printed is what a person would have written.
  return objects
    .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
