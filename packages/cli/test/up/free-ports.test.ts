// Ports chosen now and bound later by another process: outside the OS's ephemeral range (where outgoing
// connections take their source ports), and never the same port twice in one process while it may be unbound.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocatePorts } from '../../src/up/free-ports.ts';
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
