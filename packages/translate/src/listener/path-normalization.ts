// meshConfig.pathNormalization as the HTTP connection manager options Istio sets for each level.
import type { PathNormalizationType } from '@heddle/api';
import { HttpConnectionManager_PathWithEscapedSlashesAction as EscapedSlashes } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';

export interface PathNormalizationOptions {
  readonly normalizePath: boolean;
  readonly mergeSlashes: boolean;
  readonly pathWithEscapedSlashesAction: EscapedSlashes;
}

/**
 * NONE forwards paths as received; BASE (Istio's DEFAULT) applies RFC 3986 normalization; MERGE_SLASHES
 * also merges `//`; DECODE_AND_MERGE_SLASHES first decodes `%2F`/`%5C` and forwards the decoded path.
 * Escaped slashes are otherwise kept explicitly, so the proxy never relies on an implementation default.
 */
export function pathNormalizationOptions(type: PathNormalizationType | undefined): PathNormalizationOptions {
  switch (type) {
    case 'NONE':
      return {
        normalizePath: false,
        mergeSlashes: false,
        pathWithEscapedSlashesAction: EscapedSlashes.KEEP_UNCHANGED,
      };
    case undefined:
    case 'DEFAULT':
    case 'BASE':
      return {
        normalizePath: true,
        mergeSlashes: false,
        pathWithEscapedSlashesAction: EscapedSlashes.KEEP_UNCHANGED,
      };
    case 'MERGE_SLASHES':
      return {
        normalizePath: true,
        mergeSlashes: true,
        pathWithEscapedSlashesAction: EscapedSlashes.KEEP_UNCHANGED,
      };
    case 'DECODE_AND_MERGE_SLASHES':
      return {
        normalizePath: true,
        mergeSlashes: true,
        pathWithEscapedSlashesAction: EscapedSlashes.UNESCAPE_AND_FORWARD,
      };
  }
}
