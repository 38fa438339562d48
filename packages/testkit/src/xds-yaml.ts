// Renders translation output as YAML in proto3 JSON form, the format of golden files and `proxy-config -o yaml`.
import type { TranslationOutput } from '@heddle/translate';
import {
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  ListenerSchema,
  RouteConfigurationSchema,
  xdsToJson,
} from '@heddle/xds';
import { stringify } from 'yaml';

export type XdsTypeName = 'lds' | 'rds' | 'cds' | 'eds';

export function outputToJson(output: TranslationOutput, type: XdsTypeName): unknown[] {
  switch (type) {
    case 'lds':
      return output.listeners.map((r) => xdsToJson(ListenerSchema, r));
    case 'rds':
      return output.routes.map((r) => xdsToJson(RouteConfigurationSchema, r));
    case 'cds':
      return output.clusters.map((r) => xdsToJson(ClusterSchema, r));
    case 'eds':
      return output.endpoints.map((r) => xdsToJson(ClusterLoadAssignmentSchema, r));
  }
}

export function outputToYaml(output: TranslationOutput, type: XdsTypeName): string {
  return stringify(outputToJson(output, type), { lineWidth: 0, aliasDuplicateObjects: false });
}
