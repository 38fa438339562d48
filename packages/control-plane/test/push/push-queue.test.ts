// Debouncing with an injected clock: bursts coalesce after a quiet period, never later than the maximum delay,
// and pushes never overlap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PushQueue, type PushBatch } from '../../src/index.ts';
import { FakeClock } from '../support/fake-clock.ts';

function setup(debounce = { quietMs: 100, maxDelayMs: 1000 }) {
  const clock = new FakeClock();
  const start = clock.now();
  const flushes: { at: number; batch: PushBatch }[] = [];
  let release: (() => void) | undefined;
  let blocking = false;
  const queue = new PushQueue({
    clock,
    debounce,
    flush: (batch) => {
      flushes.push({ at: clock.now() - start, batch });
      if (!blocking) return Promise.resolve();
      return new Promise<void>((resolve) => (release = resolve));
    },
    onError: (error) => assert.fail(String(error)),
  });
  return {
    clock,
    queue,
    flushes,
    block: () => (blocking = true),
    release: () => {
      blocking = false;
      release?.();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PushQueue', () => {
  it('coalesces a burst into one push after the quiet period', () => {
    const { clock, queue, flushes } = setup();
    queue.trigger('config');
    clock.advance(50);
    queue.trigger('config');
    clock.advance(50);
    queue.trigger('service');
    clock.advance(99);
    assert.equal(flushes.length, 0);
    clock.advance(1);
    assert.equal(flushes.length, 1);
    assert.equal(flushes[0]?.at, 200);
    assert.equal(flushes[0]?.batch.firstAt, clock.now() - 200);
    assert.deepEqual(
      [...(flushes[0]?.batch.reasons ?? [])],
      [
        ['config', 2],
        ['service', 1],
      ],
    );
  });

  it('pushes at the maximum delay even when events keep coming', async () => {
    const { clock, queue, flushes } = setup();
    for (let t = 0; t < 2500; t += 50) {
      queue.trigger('config');
      clock.advance(50);
      // Lets a finished push settle, as the event loop would between real events.
      await tick();
    }
    assert.deepEqual(
      flushes.map((f) => f.at),
      [1000, 2000],
    );
  });

  it('honours configured delays', () => {
    const { clock, queue, flushes } = setup({ quietMs: 10, maxDelayMs: 30 });
    queue.trigger('config');
    clock.advance(10);
    assert.deepEqual(
      flushes.map((f) => f.at),
      [10],
    );
  });

  it('runs the next batch only after the running push finished', async () => {
    const { clock, queue, flushes, block, release } = setup();
    block();
    queue.trigger('config');
    clock.advance(100);
    assert.equal(flushes.length, 1);
    queue.trigger('config');
    clock.advance(500);
    assert.equal(flushes.length, 1, 'still running');
    release();
    await tick();
    await tick();
    assert.equal(flushes.length, 2);
    await queue.idle();
  });

  it('drops waiting events on close', async () => {
    const { clock, queue, flushes } = setup();
    queue.trigger('config');
    await queue.close();
    clock.advance(5000);
    queue.trigger('config');
    clock.advance(5000);
    assert.equal(flushes.length, 0);
  });
});
