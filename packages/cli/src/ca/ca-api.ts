// The CA endpoints of the control plane's HTTP API, for `heddle x ca`.
import { CliError } from '../cli-error.ts';
import { describeRequestFailure } from '../client/describe-request-failure.ts';
import { sendHttpRequest, type HttpResponse } from '../client/http-request.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../client/control-plane-client.ts';
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
  const answer = await call(url, 'GET', '/apis/v1/ca/roots');
  if (answer.status === 200 && isRoots(answer.json)) return answer.json;
  throw refusedOrUnexpected(url, answer);
}

export async function rotateRoot(url: string, phase: RotationPhase | undefined): Promise<RotationResult> {
  const answer = await call(url, 'POST', '/apis/v1/ca/root-rotate', phase ? { phase } : {});
  if (answer.status === 200 && isRoots(answer.json)) return answer.json as RotationResult;
  throw refusedOrUnexpected(url, answer);
}

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

async function call(url: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  let response: HttpResponse;
  try {
    response = await sendHttpRequest({
      method,
      url: new URL(`${url}${path}`),
      timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
        : {}),
    });
  } catch (error) {
    throw new CliError(
      describeRequestFailure(error, url, DEFAULT_REQUEST_TIMEOUT_MS),
      EXIT_CODES.UNAVAILABLE,
    );
  }
  if (response.status === 503) {
    throw new CliError(
      `the control plane at ${url} is not ready (starting or stopping); try again`,
      EXIT_CODES.UNAVAILABLE,
    );
  }
  try {
    return { status: response.status, json: JSON.parse(response.body) as unknown };
  } catch {
    throw new CliError(
      `${url} answered ${method} ${path} with ${response.status} and a body that is not JSON; is it a Heddle control plane?`,
      EXIT_CODES.PROTOCOL,
    );
  }
}

/** A refusal the user can act on (rotation out of order, plugged-in CA, CA off) exits 1 with its message. */
function refusedOrUnexpected(url: string, answer: Answer): CliError {
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
