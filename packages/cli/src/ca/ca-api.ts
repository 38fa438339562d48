// The CA endpoints of the control plane's HTTP API, for `heddle x ca`.
import { CliError } from '../cli-error.ts';
import { callJsonApi, type JsonAnswer } from '../client/json-api-call.ts';
import { EXIT_CODES } from '../exit-codes.ts';

export type RotationPhase = 'prepare' | 'activate' | 'finish';
export const ROTATION_PHASES: readonly RotationPhase[] = ['prepare', 'activate', 'finish'];

export interface CaRoot {
  readonly id?: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sha256: string;
  readonly signing: boolean;
}

export interface CaRoots {
  readonly mode: 'self-signed' | 'plugged-in';
  readonly keyType?: string;
  readonly rotation?: { readonly state: 'idle' | 'prepared' | 'activated'; readonly next: RotationPhase };
  readonly signingChainExpiry: string;
  readonly roots: readonly CaRoot[];
  readonly bundle: string;
}

export interface RotationResult extends CaRoots {
  readonly phase: RotationPhase;
}

export async function fetchCaRoots(url: string): Promise<CaRoots> {
  const answer = await callJsonApi(url, 'GET', '/apis/v1/ca/roots');
  if (answer.status === 200 && isRoots(answer.json)) return answer.json;
  throw refusedOrUnexpected(url, answer);
}

export async function rotateRoot(url: string, phase: RotationPhase | undefined): Promise<RotationResult> {
  const answer = await callJsonApi(url, 'POST', '/apis/v1/ca/root-rotate', phase ? { phase } : {});
  if (answer.status === 200 && isRoots(answer.json)) return answer.json as RotationResult;
  throw refusedOrUnexpected(url, answer);
}

/** A refusal the user can act on (rotation out of order, plugged-in CA, CA off) exits 1 with its message. */
function refusedOrUnexpected(url: string, answer: JsonAnswer): CliError {
  const body = (typeof answer.json === 'object' && answer.json !== null ? answer.json : {}) as {
    code?: string;
    message?: string;
  };
  if ((answer.status === 409 || answer.status === 404) && body.code?.startsWith('HEDDLE_CA_')) {
    return new CliError(`${body.message ?? 'refused'} (${body.code})`, EXIT_CODES.NOT_FOUND);
  }
  const detail = [body.code, body.message].filter((part) => part !== undefined).join(': ');
  return new CliError(
    `the control plane at ${url} answered ${answer.status}${detail ? ` (${detail})` : ''}`,
    EXIT_CODES.PROTOCOL,
  );
}

function isRoots(value: unknown): value is CaRoots {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { roots?: unknown }).roots) &&
    typeof (value as { bundle?: unknown }).bundle === 'string'
  );
}
