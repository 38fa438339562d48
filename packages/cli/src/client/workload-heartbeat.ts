// Keeps a workload's registration alive: `PUT /apis/v1/workloads/<id>/heartbeat` renews its lease, and a
// 404 says the control plane dropped it (lease expired, or the control plane restarted) and it must register
// again. `heddle run` heartbeats for the app it starts.
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeRequestFailure } from './describe-request-failure.ts';
import { sendHttpRequest, type HttpResponse } from './http-request.ts';

export const HEARTBEAT_TIMEOUT_MS = 5_000;

export type HeartbeatAnswer =
  | {
      readonly renewed: true;
      readonly leaseSeconds: number;
      /** Milliseconds since the epoch, by the control plane's clock. */
      readonly expiresAt: number;
    }
  | { readonly renewed: false };

/**
 * Renews the lease of registration `id` once. `{ renewed: false }` when the control plane no longer knows it;
 * throws a CliError when it cannot be reached (UNAVAILABLE) or answers anything else (PROTOCOL).
 */
export async function heartbeatWorkload(
  url: string,
  id: number,
  timeoutMs = HEARTBEAT_TIMEOUT_MS,
): Promise<HeartbeatAnswer> {
  let response: HttpResponse;
  try {
    response = await sendHttpRequest({
      method: 'PUT',
      url: new URL(`${url}/apis/v1/workloads/${id}/heartbeat`),
      timeoutMs,
    });
  } catch (error) {
    throw new CliError(describeRequestFailure(error, url, timeoutMs), EXIT_CODES.UNAVAILABLE);
  }
  if (response.status === 404) return { renewed: false };
  const body = parseObject(response.body);
  if (
    response.status !== 200 ||
    typeof body?.leaseSeconds !== 'number' ||
    typeof body.expiresAt !== 'number'
  ) {
    throw new CliError(
      `the control plane at ${url} answered ${response.status} to the heartbeat of workload ${id}`,
      EXIT_CODES.PROTOCOL,
    );
  }
  return { renewed: true, leaseSeconds: body.leaseSeconds, expiresAt: body.expiresAt };
}

export interface KeepRegisteredOptions {
  /** The lease the registration answer granted (`leaseSeconds`); heartbeats go three times per lease. */
  readonly leaseSeconds: number;
  /** The registration is gone (404): register again. Heartbeats stop before this is called. */
  readonly onLost: () => void;
  /** A heartbeat failed (control plane unreachable …); the next one is still attempted. */
  readonly onError?: (error: unknown) => void;
}

export interface HeartbeatLoop {
  stop(): void;
}

/** Heartbeats until stopped or the registration is lost; the timer never keeps the process alive by itself. */
export function keepWorkloadRegistered(
  url: string,
  id: number,
  options: KeepRegisteredOptions,
): HeartbeatLoop {
  const intervalMs = Math.max(250, Math.floor((options.leaseSeconds * 1000) / 3));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void beat(), intervalMs);
    timer.unref();
  };
  const beat = async () => {
    try {
      const answer = await heartbeatWorkload(url, id, Math.min(HEARTBEAT_TIMEOUT_MS, intervalMs));
      if (stopped) return;
      if (!answer.renewed) {
        stopped = true;
        options.onLost();
        return;
      }
    } catch (error) {
      if (!stopped) options.onError?.(error);
    }
    schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
