// One ADS stream's admission: the caller once its token is verified, the requests that arrived meanwhile (handled
// in order afterwards), the check of the node it announces, and what its responses may carry.
import { status } from '@grpc/grpc-js';
import type { ProxyNode } from '@heddle/translate';
import type { Logger } from '../../server/logger.ts';
import type { ProxyResources } from '../proxy-resources.ts';
import { withholdCredentialSecrets } from './credential-secret-guard.ts';
import { checkNodeIdentity } from './node-identity-check.ts';
import { XDS_AUTH_CODES } from './xds-auth-codes.ts';
import { XdsAuthRefused, type XdsCaller } from './xds-caller.ts';

/** Requests a proxy may send before its token is verified (a handful in practice: one per type). */
const MAX_WAITING_REQUESTS = 64;

export interface StreamAdmissionEvents<T> {
  /** The token verified: handle what arrived meanwhile, in order. */
  onAdmitted(waiting: readonly T[]): void;
  onRefused(refusal: XdsAuthRefused): void;
}

export class StreamAdmission<T> {
  readonly #logger: Logger;
  readonly #peer: string;
  readonly #logged = new Set<string>();
  #caller: XdsCaller | undefined;
  #waiting: T[] | undefined;

  constructor(
    admit: () => XdsCaller | Promise<XdsCaller>,
    peer: string,
    logger: Logger,
    events: StreamAdmissionEvents<T>,
  ) {
    this.#peer = peer;
    this.#logger = logger;
    let admitted: XdsCaller | Promise<XdsCaller>;
    try {
      admitted = admit();
    } catch (error) {
      admitted = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (!(admitted instanceof Promise)) {
      this.#caller = admitted;
      return;
    }
    this.#waiting = [];
    admitted.then(
      (caller) => {
        this.#caller = caller;
        const waiting = this.#waiting ?? [];
        this.#waiting = undefined;
        events.onAdmitted(waiting);
      },
      (error: unknown) => {
        this.#waiting = undefined;
        events.onRefused(asRefusal(error));
      },
    );
  }

  get caller(): XdsCaller | undefined {
    return this.#caller;
  }

  /** True: handle `request` now. False: it waits for the verdict (or was dropped, and the stream refused). */
  admitRequest(request: T, refuse: (refusal: XdsAuthRefused) => void): boolean {
    if (!this.#waiting) return this.#caller !== undefined;
    if (this.#waiting.length >= MAX_WAITING_REQUESTS) {
      this.#waiting = undefined;
      refuse(
        new XdsAuthRefused(
          XDS_AUTH_CODES.UNAUTHENTICATED,
          status.RESOURCE_EXHAUSTED,
          `more than ${MAX_WAITING_REQUESTS} requests arrived before the token was verified`,
        ),
      );
      return false;
    }
    this.#waiting.push(request);
    return false;
  }

  /** Throws XdsAuthRefused when the node is not the identity the token proves. */
  checkNode(node: ProxyNode): void {
    if (this.#caller) checkNodeIdentity(this.#caller, node);
  }

  /** The translation as this stream may see it; each withheld secret is logged once per stream. */
  guard(resources: ProxyResources, node: ProxyNode): ProxyResources {
    const caller = this.#caller;
    if (!caller) return resources;
    const guarded = withholdCredentialSecrets(resources, caller, node.namespace);
    for (const secret of guarded.withheld) {
      if (this.#logged.has(secret)) continue;
      this.#logged.add(secret);
      this.#logger.warn('credential secret withheld from an xDS stream', {
        code: XDS_AUTH_CODES.CREDENTIAL_WITHHELD,
        proxy: node.id,
        secret,
        admittedBy: caller.admittedBy,
        ...(caller.identity ? { tokenNamespace: caller.identity.namespace } : {}),
        peer: this.#peer,
      });
    }
    return guarded.resources;
  }

  /** Logs a refusal with what is known of the caller. */
  logRefusal(refusal: XdsAuthRefused, nodeId?: string): void {
    this.#logger.warn('refused an xDS stream', {
      code: refusal.code,
      reason: refusal.reason,
      peer: this.#peer,
      ...(nodeId !== undefined ? { proxy: nodeId } : {}),
    });
  }
}

function asRefusal(error: unknown): XdsAuthRefused {
  if (error instanceof XdsAuthRefused) return error;
  return new XdsAuthRefused(
    XDS_AUTH_CODES.UNAUTHENTICATED,
    status.UNAUTHENTICATED,
    'the caller could not be authenticated',
  );
}
