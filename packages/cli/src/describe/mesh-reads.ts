// Reads of the control plane's registry views that `x describe` and `proxy-config bootstrap` need:
// /debug/registryz (services with their endpoints) and /apis/v1/workloads (WorkloadEntries and registrations).
import type { WorkloadInstance } from '@heddle/control-plane';
import type { MeshService } from '@heddle/translate';
import { CliError } from '../cli-error.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../client/control-plane-client.ts';
import { describeRequestFailure } from '../client/describe-request-failure.ts';
import { sendHttpRequest, type HttpResponse } from '../client/http-request.ts';
import { EXIT_CODES } from '../exit-codes.ts';

export async function fetchServices(baseUrl: string): Promise<readonly MeshService[]> {
  return (await getList(baseUrl, '/debug/registryz')) as MeshService[];
}

export async function fetchWorkloads(baseUrl: string): Promise<readonly WorkloadInstance[]> {
  return (await getList(baseUrl, '/apis/v1/workloads')) as WorkloadInstance[];
}

async function getList(baseUrl: string, path: string): Promise<unknown[]> {
  let response: HttpResponse;
  try {
    response = await sendHttpRequest({
      method: 'GET',
      url: new URL(`${baseUrl}${path}`),
      timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    });
  } catch (error) {
    throw new CliError(
      describeRequestFailure(error, baseUrl, DEFAULT_REQUEST_TIMEOUT_MS),
      EXIT_CODES.UNAVAILABLE,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body) as unknown;
  } catch {
    json = undefined;
  }
  if (response.status !== 200 || !Array.isArray(json)) {
    throw new CliError(
      `the control plane at ${baseUrl} answered GET ${path} with ${response.status} and no list`,
      EXIT_CODES.PROTOCOL,
    );
  }
  return json as unknown[];
}
