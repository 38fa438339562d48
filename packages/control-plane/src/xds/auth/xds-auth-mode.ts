// Who may open an ADS stream: the `xdsAuth` option of the control plane, and its default.
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../../errors.ts';
import { XDS_AUTH_CODES } from './xds-auth-codes.ts';

/**
 * - `required`: every stream presents a join token (`authorization: Bearer <token>`); the default with the CA.
 * - `loopback-exempt`: streams from a loopback address may come without one (proxyless gRPC clients and tools on
 *   the control plane's own machine); they get config, but never a credential secret.
 * - `off`: nobody is asked; the only mode without the CA, whose token key proves identities.
 */
export type XdsAuthMode = 'required' | 'loopback-exempt' | 'off';

export const XDS_AUTH_MODES: readonly XdsAuthMode[] = ['required', 'loopback-exempt', 'off'];

/** The mode in force: as asked, else `required` with the CA and `off` without it. */
export function resolveXdsAuthMode(asked: XdsAuthMode | undefined, caEnabled: boolean): XdsAuthMode {
  if (asked === undefined) return caEnabled ? 'required' : 'off';
  if (!XDS_AUTH_MODES.includes(asked)) {
    // Only callers without the type checker get here (a config file, a flag).
    throw new Error(
      `${XDS_AUTH_CODES.INVALID_MODE}: xdsAuth must be one of ${XDS_AUTH_MODES.join(', ')}, not ${JSON.stringify(asked)}`,
    );
  }
  if (asked !== 'off' && !caEnabled) {
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.CA_DISABLED,
      `xdsAuth "${asked}" needs the certificate authority (its token key verifies the proxies' join tokens); remove \`ca: false\` or set xdsAuth "off"`,
    );
  }
  return asked;
}
