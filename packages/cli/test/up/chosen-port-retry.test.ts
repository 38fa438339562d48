// `heddle up --detach` chooses ports and the background process binds them a moment later: when another
// program takes one of the ports Heddle chose in between, it chooses again; a port the user gave is reported.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../src/cli-error.ts';
import { EXIT_CODES } from '../../src/exit-codes.ts';
import {
  backgroundError,
  CHOOSE_PORTS_TRIES,
  ChosenPortTaken,
  chosenPorts,
  retryWhenChosenPortTaken,
} from '../../src/up/chosen-port-retry.ts';
import type { UpRequest } from '../../src/up/up-request.ts';

const REQUEST = {
  httpPort: 8080,
  xdsPort: 0,
  gatewayPort: 0,
  gatewayAdminPort: 0,
  gatewayHealthPort: 15021,
} as UpRequest;
const PORTS = {
  host: '127.0.0.1',
  http: 8080,
  xds: 21001,
  gateway: 21002,
  gatewayAdmin: 21003,
  gatewayHealth: 15021,
};

describe('ports chosen for the background process', () => {
  it('are the ones the request left at 0', () => {
    assert.deepEqual([...chosenPorts(REQUEST, PORTS)].sort(), [21001, 21002, 21003]);
  });

  it('make "address already in use" on a chosen port a ChosenPortTaken, and nothing else', () => {
    const chosen = chosenPorts(REQUEST, PORTS);
    const taken = backgroundError(
      'cannot listen on 127.0.0.1:21003 (gateway admin): address already in use',
      EXIT_CODES.UNAVAILABLE,
      chosen,
    );
    assert.ok(taken instanceof ChosenPortTaken);
    assert.equal(taken.exitCode, EXIT_CODES.UNAVAILABLE);
    const ipv6 = backgroundError('cannot listen on [::1]:21001 (xDS): address already in use', 69, chosen);
    assert.ok(ipv6 instanceof ChosenPortTaken);
    for (const message of [
      'cannot listen on 127.0.0.1:8080 (HTTP API): address already in use',
      'cannot listen on 127.0.0.1:21003 (gateway admin): permission denied',
      'the data directory is not writable',
    ]) {
      const error = backgroundError(message, EXIT_CODES.UNAVAILABLE, chosen);
      assert.ok(!(error instanceof ChosenPortTaken), message);
      assert.equal(error.message, message);
    }
  });
});

describe('retryWhenChosenPortTaken', () => {
  const taken = (): ChosenPortTaken =>
    new ChosenPortTaken('cannot listen on 127.0.0.1:21003 (gateway admin): address already in use', 69);

  it('starts again while a chosen port was taken, and returns the first success', async () => {
    let calls = 0;
    const retried: string[] = [];
    const result = await retryWhenChosenPortTaken(
      () => {
        calls++;
        return calls < CHOOSE_PORTS_TRIES ? Promise.reject(taken()) : Promise.resolve('ready');
      },
      (error) => retried.push(error.message),
    );
    assert.equal(result, 'ready');
    assert.equal(calls, CHOOSE_PORTS_TRIES);
    assert.equal(retried.length, CHOOSE_PORTS_TRIES - 1);
  });

  it('gives up after CHOOSE_PORTS_TRIES with the last error', async () => {
    let calls = 0;
    await assert.rejects(
      retryWhenChosenPortTaken(
        () => {
          calls++;
          return Promise.reject(taken());
        },
        () => undefined,
      ),
      ChosenPortTaken,
    );
    assert.equal(calls, CHOOSE_PORTS_TRIES);
  });

  it('does not retry any other failure', async () => {
    let calls = 0;
    const failure = new CliError('cannot listen on 127.0.0.1:8080 (HTTP API): address already in use', 69);
    await assert.rejects(
      retryWhenChosenPortTaken(
        () => {
          calls++;
          return Promise.reject(failure);
        },
        () => undefined,
      ),
      (error) => error === failure,
    );
    assert.equal(calls, 1);
  });
});
