// The self-signed roots the CA holds and the rotation phases over them, as pure state transitions.
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import type { X509Certificate } from './x509.ts';
import type { CryptoKey } from './web-crypto-types.ts';

export interface CaRoot {
  /** Short random hex, also in the root's subject and its file names. */
  readonly id: string;
  readonly cert: X509Certificate;
  readonly key: CryptoKey;
}

/** Roots oldest first; the trust bundle is all of them, one of them signs. */
export interface RootRing {
  readonly roots: readonly CaRoot[];
  readonly signingId: string;
}

export type RotationPhase = 'prepare' | 'activate' | 'finish';
export const ROTATION_PHASES: readonly RotationPhase[] = ['prepare', 'activate', 'finish'];

/**
 * `idle`: one root. `prepared`: a new root is in the bundle, the old one still signs. `activated`: the new root
 * signs, the old one is still trusted (certificates it signed stay valid until they expire).
 */
export type RotationState = 'idle' | 'prepared' | 'activated';

export function rotationState(ring: RootRing): RotationState {
  if (ring.roots.length < 2) return 'idle';
  return ring.roots.at(-1)?.id === ring.signingId ? 'activated' : 'prepared';
}

export function nextPhase(ring: RootRing): RotationPhase {
  const state = rotationState(ring);
  return state === 'idle' ? 'prepare' : state === 'prepared' ? 'activate' : 'finish';
}

export function signingRoot(ring: RootRing): CaRoot {
  const root = ring.roots.find((candidate) => candidate.id === ring.signingId);
  if (!root) throw new Error(`the signing root ${ring.signingId} is not in the ring`);
  return root;
}

/** Throws HEDDLE_CA_ROTATION_OUT_OF_ORDER unless `phase` is the one that comes next. */
export function checkPhase(ring: RootRing, phase: RotationPhase): void {
  const expected = nextPhase(ring);
  if (phase === expected) return;
  const state = rotationState(ring);
  const why = {
    idle: 'no rotation is in progress',
    prepared: 'a new root is already in the trust bundle but does not sign yet',
    activated: 'the new root already signs; the old one is still in the trust bundle',
  }[state];
  throw new ControlPlaneError(
    CONTROL_PLANE_CODES.CA_ROTATION_OUT_OF_ORDER,
    `cannot ${phase} the root rotation: ${why}; the next phase is "${expected}"`,
    { state, next: expected },
  );
}

/** prepare: the new root joins the bundle; the signer does not change. */
export function withPreparedRoot(ring: RootRing, root: CaRoot): RootRing {
  checkPhase(ring, 'prepare');
  return { roots: [...ring.roots, root], signingId: ring.signingId };
}

/** activate: the newest root signs from now on. */
export function withActivatedRoot(ring: RootRing): RootRing {
  checkPhase(ring, 'activate');
  const newest = ring.roots.at(-1) as CaRoot;
  return { roots: ring.roots, signingId: newest.id };
}

/** finish: only the signing root stays in the bundle. */
export function withFinishedRotation(ring: RootRing): RootRing {
  checkPhase(ring, 'finish');
  return { roots: [signingRoot(ring)], signingId: ring.signingId };
}
