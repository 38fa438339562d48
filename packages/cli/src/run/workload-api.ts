// Registers the workload `heddle run` starts with the control plane (`POST /apis/v1/workloads`), and
// deregisters it (`DELETE /apis/v1/workloads/<id>`) once the app has exited.
import { CliError } from '../cli-error.ts';
import { describeRequestFailure } from '../client/describe-request-failure.ts';
import { sendHttpRequest, type HttpResponse } from '../client/http-request.ts';
import { EXIT_CODES } from '../exit-codes.ts';

export interface WorkloadRegistration {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  readonly ports: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
}

export interface Registered {
  readonly id: number;
  /** How long the registration lives without a heartbeat (`PUT …/heartbeat`). */
  readonly leaseSeconds: number;
  /** Present once the control plane runs a CA: what the sidecar presents to get its certificate. */
  readonly joinToken?: string;
}

const TIMEOUT_MS = 10_000;

export async function registerWorkload(url: string, registration: WorkloadRegistration): Promise<Registered> {
  const response = await send(url, {
    method: 'POST',
    url: new URL(`${url}/apis/v1/workloads`),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(registration),
    timeoutMs: TIMEOUT_MS,
  });
  const body = parse(response);
  if (response.status === 400) {
    const message = typeof body?.message === 'string' ? body.message : response.body;
    throw new CliError(`the control plane refused the workload: ${message}`, EXIT_CODES.FINDINGS);
  }
  if (response.status !== 201 || typeof body?.id !== 'number')
    throw new CliError(
      `the control plane at ${url} answered ${response.status} to the registration`,
      EXIT_CODES.PROTOCOL,
    );
  return {
    id: body.id,
    // A control plane without leases keeps registrations until they are deleted.
    leaseSeconds: typeof body.leaseSeconds === 'number' ? body.leaseSeconds : 0,
    ...(typeof body.joinToken === 'string' && body.joinToken !== '' ? { joinToken: body.joinToken } : {}),
  };
}

/** True when it was deregistered; false when the control plane no longer knew it (e.g. it restarted). */
export async function deregisterWorkload(url: string, id: number): Promise<boolean> {
  const response = await send(url, {
    method: 'DELETE',
    url: new URL(`${url}/apis/v1/workloads/${id}`),
    timeoutMs: TIMEOUT_MS,
  });
  return response.status === 200;
}

async function send(url: string, request: Parameters<typeof sendHttpRequest>[0]): Promise<HttpResponse> {
  try {
    return await sendHttpRequest(request);
  } catch (error) {
    const reason = describeRequestFailure(error, url, TIMEOUT_MS).replace(
      '(is `heddle control` running?)',
      '(is `heddle up` running?)',
    );
    throw new CliError(reason, EXIT_CODES.UNAVAILABLE);
  }
}

function parse(response: HttpResponse): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(response.body) as unknown;
    return json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
