// One JSON call to the control plane's API: unreachable and not-ready answers exit 69, a body that is not
// JSON exits 76; every other status is the caller's to interpret.
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './control-plane-client.ts';
import { describeRequestFailure } from './describe-request-failure.ts';
import { sendHttpRequest, type HttpResponse } from './http-request.ts';

export interface JsonAnswer {
  readonly status: number;
  readonly json: unknown;
}

export async function callJsonApi(
  url: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<JsonAnswer> {
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
