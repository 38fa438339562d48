// Who is on the other end of an ADS stream, as far as the control plane could tell when the stream opened.
import type { status } from '@grpc/grpc-js';
import type { WorkloadIdentity } from '../../ca/workload-identity.ts';
import type { XdsAuthCode } from './xds-auth-codes.ts';

/**
 * - `token`: a join token proved `identity`.
 * - `loopback`: no token, let in because it came from a loopback address under `loopback-exempt`.
 * - `auth-off`: nobody is asked (`xdsAuth: off`).
 */
export type XdsAdmission = 'token' | 'loopback' | 'auth-off';

export interface XdsCaller {
  readonly admittedBy: XdsAdmission;
  /** Set when a token proved who the caller is. */
  readonly identity?: WorkloadIdentity;
}

export const AUTH_OFF_CALLER: XdsCaller = { admittedBy: 'auth-off' };

/** Why a stream is refused: the gRPC status to end it with and a message that starts with its code. */
export class XdsAuthRefused extends Error {
  readonly code: XdsAuthCode;
  readonly status: status;
  /** Said to the proxy and logged; never anything about the token key. */
  readonly reason: string;

  constructor(code: XdsAuthCode, grpcStatus: status, reason: string) {
    super(`${code}: ${reason}`);
    this.name = 'XdsAuthRefused';
    this.code = code;
    this.status = grpcStatus;
    this.reason = reason;
  }
}
