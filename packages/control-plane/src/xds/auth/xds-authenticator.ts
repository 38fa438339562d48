// Admits or refuses an ADS stream when it opens, from its `authorization` metadata and where it comes from. The
// token is checked by the CA's own authenticators, so a token that gets a certificate also opens a stream.
import { status, type Metadata } from '@grpc/grpc-js';
import { TokenRejected } from '../../ca/join-token.ts';
import {
  authenticateCaller,
  bearerTokenOf,
  type WorkloadAuthenticator,
} from '../../ca/workload-authenticator.ts';
import { isLoopbackPeer } from './loopback-peer.ts';
import { XDS_AUTH_CODES } from './xds-auth-codes.ts';
import type { XdsAuthMode } from './xds-auth-mode.ts';
import { AUTH_OFF_CALLER, XdsAuthRefused, type XdsCaller } from './xds-caller.ts';

export interface XdsAuthenticatorOptions {
  readonly mode: XdsAuthMode;
  /** The CA's authenticators (join tokens first); empty only with mode `off`. */
  readonly authenticators: readonly WorkloadAuthenticator[];
}

const LOOPBACK_CALLER: XdsCaller = { admittedBy: 'loopback' };

export class XdsAuthenticator {
  readonly mode: XdsAuthMode;
  readonly #authenticators: readonly WorkloadAuthenticator[];

  constructor(options: XdsAuthenticatorOptions) {
    this.mode = options.mode;
    this.#authenticators = options.authenticators;
  }

  /** Nobody is asked: every stream is admitted as it is. */
  static off(): XdsAuthenticator {
    return new XdsAuthenticator({ mode: 'off', authenticators: [] });
  }

  /**
   * The caller of a new stream; throws (or rejects with) XdsAuthRefused. Synchronous when nothing needs checking,
   * so that a control plane without authentication handles a stream's first request exactly as before.
   */
  admit(metadata: Metadata, peer: string): XdsCaller | Promise<XdsCaller> {
    if (this.mode === 'off') return AUTH_OFF_CALLER;
    const authorization = metadata.get('authorization');
    if (authorization.length === 0) {
      if (this.mode === 'loopback-exempt' && isLoopbackPeer(peer)) return LOOPBACK_CALLER;
      throw unauthenticated(
        'the stream carries no "authorization: Bearer <join token>" metadata; give the proxy a join token ' +
          '(bootstrap ca.token or ca.tokenFile, from POST /apis/v1/tokens)',
      );
    }
    const token = bearerTokenOf(authorization);
    if (token === undefined) throw unauthenticated('the authorization metadata is not one "Bearer <token>"');
    return this.#verify(token);
  }

  async #verify(token: string): Promise<XdsCaller> {
    try {
      const identity = await authenticateCaller(this.#authenticators, { bearerToken: token });
      return { admittedBy: 'token', identity };
    } catch (error) {
      throw unauthenticated(
        error instanceof TokenRejected ? error.message : 'the token could not be verified',
      );
    }
  }
}

function unauthenticated(reason: string): XdsAuthRefused {
  return new XdsAuthRefused(XDS_AUTH_CODES.UNAUTHENTICATED, status.UNAUTHENTICATED, reason);
}
