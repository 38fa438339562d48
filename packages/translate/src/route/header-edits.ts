// Istio `headers` (request/response set, add, remove) as Envoy header edits; a request `set` of the
// authority becomes a host rewrite, as Istio does.
import { create } from '@bufbuild/protobuf';
import type { HeaderOperations, Headers } from '@heddle/api';
import {
  HeaderValueOption_HeaderAppendAction,
  HeaderValueOptionSchema,
  type HeaderValueOption,
} from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';

export interface HeaderEdits {
  readonly requestHeadersToAdd: HeaderValueOption[];
  readonly requestHeadersToRemove: string[];
  readonly responseHeadersToAdd: HeaderValueOption[];
  readonly responseHeadersToRemove: string[];
  /** From a request `set` of `:authority` or `host`; the last edit wins. */
  readonly authority?: string;
}

const isAuthority = (name: string): boolean => ['host', ':authority'].includes(name.toLowerCase());

function options(values: Readonly<Record<string, string>> | undefined, append: boolean): HeaderValueOption[] {
  return Object.entries(values ?? {})
    .filter(([key]) => !isAuthority(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) =>
      create(HeaderValueOptionSchema, {
        header: { key, value },
        appendAction: append
          ? HeaderValueOption_HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
          : HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD,
      }),
    );
}

function edits(ops: HeaderOperations | undefined): HeaderValueOption[] {
  return [...options(ops?.set, false), ...options(ops?.add, true)];
}

/** Several levels (rule, then destination) are applied in order. */
export function headerEdits(...levels: readonly (Headers | undefined)[]): HeaderEdits {
  let authority: string | undefined;
  for (const level of levels) {
    for (const [key, value] of Object.entries(level?.request?.set ?? {}))
      if (isAuthority(key)) authority = value;
  }
  return {
    requestHeadersToAdd: levels.flatMap((level) => edits(level?.request)),
    requestHeadersToRemove: levels.flatMap((level) => [...(level?.request?.remove ?? [])]),
    responseHeadersToAdd: levels.flatMap((level) => edits(level?.response)),
    responseHeadersToRemove: levels.flatMap((level) => [...(level?.response?.remove ?? [])]),
    ...(authority !== undefined ? { authority } : {}),
  };
}
