// Ports that `heddle up --detach` chose itself (the request said 0) are bound a moment later by the background
// process; another program can take one in between. That is no reason to fail: choosing again does.
import { CliError } from '../cli-error.ts';
import type { ExitCode } from '../exit-codes.ts';
import type { UpPorts } from './up-components.ts';
import type { UpRequest } from './up-request.ts';

/** How often ports Heddle chose itself are chosen again when one was taken before it could be bound. */
export const CHOOSE_PORTS_TRIES = 3;

/** The background process could not bind a port that Heddle, not the user, had chosen. */
export class ChosenPortTaken extends CliError {}

/** The ports of `ports` that the request left to Heddle (0). */
export function chosenPorts(request: UpRequest, ports: UpPorts): Set<number> {
  const pairs: [asked: number, got: number][] = [
    [request.httpPort, ports.http],
    [request.xdsPort, ports.xds],
    [request.gatewayPort, ports.gateway],
    [request.gatewayAdminPort, ports.gatewayAdmin],
    [request.gatewayHealthPort, ports.gatewayHealth],
  ];
  return new Set(pairs.filter(([asked]) => asked === 0).map(([, got]) => got));
}

/** The background process's one-line error as a CliError; a chosen port that was taken is a ChosenPortTaken. */
export function backgroundError(message: string, exitCode: ExitCode, chosen: ReadonlySet<number>): CliError {
  const taken = /^cannot listen on .*:(\d+) \(.*\): address already in use$/.exec(message);
  return taken && chosen.has(Number(taken[1]))
    ? new ChosenPortTaken(message, exitCode)
    : new CliError(message, exitCode);
}

/** Runs `start` again (it chooses new ports) while it fails with ChosenPortTaken, up to CHOOSE_PORTS_TRIES. */
export async function retryWhenChosenPortTaken<T>(
  start: () => Promise<T>,
  onRetry: (error: ChosenPortTaken) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= CHOOSE_PORTS_TRIES || !(error instanceof ChosenPortTaken)) throw error;
      onRetry(error);
    }
  }
}
