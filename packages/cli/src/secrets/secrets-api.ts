// The secret store endpoints of the control plane's HTTP API, for `heddle create|get|delete secret`.
import { CliError } from '../cli-error.ts';
import { callJsonApi, type JsonAnswer } from '../client/json-api-call.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';

export interface SecretInput {
  readonly namespace: string;
  readonly name: string;
  readonly certificateChain?: string;
  readonly privateKey?: string;
  readonly caCertificate?: string;
}

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAltNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sha256: string;
}

export interface SecretSummary {
  readonly namespace: string;
  readonly name: string;
  readonly type: 'tls' | 'ca';
  readonly keys: readonly string[];
  readonly certificate?: CertificateSummary;
  readonly caCertificates?: readonly CertificateSummary[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Refusals about the input itself (bad PEM, key mismatch, expired) end like unreadable input. */
const EXIT_BY_CODE: Readonly<Record<string, ExitCode>> = {
  HEDDLE_SECRET_INVALID: EXIT_CODES.UNREADABLE_INPUT,
  HEDDLE_SECRET_PEM_INVALID: EXIT_CODES.UNREADABLE_INPUT,
  HEDDLE_SECRET_KEY_MISMATCH: EXIT_CODES.UNREADABLE_INPUT,
  HEDDLE_SECRET_CERT_EXPIRED: EXIT_CODES.UNREADABLE_INPUT,
  HEDDLE_SECRET_NOT_A_CA: EXIT_CODES.UNREADABLE_INPUT,
  HEDDLE_SECRET_EXISTS: EXIT_CODES.NOT_FOUND,
  HEDDLE_SECRET_NOT_FOUND: EXIT_CODES.NOT_FOUND,
};

export async function createSecret(
  url: string,
  input: SecretInput,
  overwrite: boolean,
): Promise<{ created: boolean; secret: SecretSummary }> {
  const path = `/apis/v1/secrets${overwrite ? '?overwrite=true' : ''}`;
  const answer = await callJsonApi(url, 'POST', path, input);
  if ((answer.status === 201 || answer.status === 200) && isPutResult(answer.json)) return answer.json;
  throw refusedOrUnexpected(url, answer);
}

export async function listSecrets(url: string, namespace: string | undefined): Promise<SecretSummary[]> {
  const query = namespace === undefined ? '' : `?namespace=${encodeURIComponent(namespace)}`;
  const answer = await callJsonApi(url, 'GET', `/apis/v1/secrets${query}`);
  const items = (answer.json as { items?: unknown } | undefined)?.items;
  if (answer.status === 200 && Array.isArray(items) && items.every(isSummary)) return items;
  throw refusedOrUnexpected(url, answer);
}

/** Undefined when there is no such secret. */
export async function getSecret(
  url: string,
  namespace: string,
  name: string,
): Promise<SecretSummary | undefined> {
  const answer = await callJsonApi(url, 'GET', secretPath(namespace, name));
  if (answer.status === 200 && isSummary(answer.json)) return answer.json;
  if (answer.status === 404 && codeOf(answer) === 'HEDDLE_SECRET_NOT_FOUND') return undefined;
  throw refusedOrUnexpected(url, answer);
}

/** False when there was no such secret. */
export async function deleteSecret(url: string, namespace: string, name: string): Promise<boolean> {
  const answer = await callJsonApi(url, 'DELETE', secretPath(namespace, name));
  if (answer.status === 200) return true;
  if (answer.status === 404 && codeOf(answer) === 'HEDDLE_SECRET_NOT_FOUND') return false;
  throw refusedOrUnexpected(url, answer);
}

function secretPath(namespace: string, name: string): string {
  return `/apis/v1/secrets/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

function codeOf(answer: JsonAnswer): string | undefined {
  const code = (answer.json as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The control plane's message and code in one line; a control plane without the store says so. */
function refusedOrUnexpected(url: string, answer: JsonAnswer): CliError {
  const code = codeOf(answer);
  const message = (answer.json as { message?: unknown } | null)?.message;
  const exit = code === undefined ? undefined : EXIT_BY_CODE[code];
  if (exit !== undefined && typeof message === 'string') return new CliError(`${message} (${code})`, exit);
  if (answer.status === 404 && code === 'HEDDLE_HTTP_NOT_FOUND') {
    return new CliError(
      `the control plane at ${url} has no secret store (a Heddle older than this CLI?)`,
      EXIT_CODES.PROTOCOL,
    );
  }
  const detail = [code, typeof message === 'string' ? message : undefined].filter(Boolean).join(': ');
  return new CliError(
    `the control plane at ${url} answered ${answer.status}${detail ? ` (${detail})` : ''}`,
    EXIT_CODES.PROTOCOL,
  );
}

function isSummary(value: unknown): value is SecretSummary {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { namespace?: unknown }).namespace === 'string' &&
    Array.isArray((value as { keys?: unknown }).keys)
  );
}

function isPutResult(value: unknown): value is { created: boolean; secret: SecretSummary } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { created?: unknown }).created === 'boolean' &&
    isSummary((value as { secret?: unknown }).secret)
  );
}
