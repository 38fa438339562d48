// Ports chosen now and bound later by another process: outside the OS's ephemeral range (where outgoing
// connections take their source ports), and never the same port twice in one process while it may be unbound.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocatePorts, reservePort } from '../../src/up/free-ports.ts';
import { ephemeralRange, rangeOutside } from '../../src/up/outside-ephemeral-range.ts';

describe('allocatePorts', () => {
  it('picks free ports outside the ephemeral range, distinct across calls', async () => {
    const ephemeral = ephemeralRange();
    const requests = Array.from({ length: 20 }, (_, index) => ({ role: `port ${index}`, port: 0 }));
    const [first, second] = await Promise.all([
      allocatePorts('127.0.0.1', requests),
      allocatePorts('127.0.0.1', requests),
    ]);
    const all = [...(first ?? []), ...(second ?? [])];
    assert.equal(new Set(all).size, 40, 'no port handed out twice');
    if (ephemeral !== undefined) {
      for (const port of all)
        assert.ok(port < ephemeral.low || port > ephemeral.high, `${port} is ephemeral`);
    }
  });
});

describe('reservePort', () => {
  it('reserves a port once, and never one allocatePorts has handed out', async () => {
    const [allocated = 0] = await allocatePorts('127.0.0.1', [{ role: 'allocated', port: 0 }]);
    assert.equal(reservePort(allocated), false, 'handed out already');
    // A neighbour nobody has reserved (another Heddle process may hold a few).
    const partner = [1, 2, 3, 4, 5, 6, 7, 8]
      .map((step) => (allocated > 20_000 ? allocated - step : allocated + step))
      .find((port) => reservePort(port));
    assert.ok(partner !== undefined, 'one of eight neighbours could be reserved');
    assert.equal(reservePort(partner), false, 'a second reservation of the same port fails');
  });
});

describe('rangeOutside', () => {
  it("is the larger stretch from 10000 that Linux's default ephemeral range leaves", () => {
    assert.deepEqual(rangeOutside({ low: 32768, high: 60999 }), { low: 10000, high: 32767 });
    assert.deepEqual(rangeOutside({ low: 10000, high: 20000 }), { low: 20001, high: 65535 });
  });

  it('is nothing to search when the ephemeral range leaves too little, or is unknown', () => {
    assert.equal(rangeOutside({ low: 10500, high: 65000 }), undefined);
    assert.equal(rangeOutside(undefined), undefined);
  });
});
