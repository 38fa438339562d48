// Reservations of chosen-but-unbound ports shared by the Heddle processes of a machine: the first to reserve
// a port has it; another sees it taken until the reservation lapses; lapsed ones are swept; without a usable
// directory reservations never block (each process still keeps its own).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PortReservations, RESERVED_MS } from '../../src/up/port-reservations.ts';

describe('PortReservations', () => {
  const root = mkdtempSync(join(tmpdir(), 'heddle-port-reservations-test-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('gives a port to the first process that reserves it, and not to another', () => {
    const dir = join(root, 'shared');
    const first = new PortReservations(dir);
    const second = new PortReservations(dir);
    assert.equal(first.reserve(21001), true);
    assert.equal(second.reserve(21001), false);
    assert.equal(first.reserve(21001), false, 'a reservation is not re-entrant either');
    assert.equal(second.reserve(21002), true);
  });

  it('lets a lapsed reservation be taken over', () => {
    const dir = join(root, 'lapsing');
    const first = new PortReservations(dir);
    const second = new PortReservations(dir);
    assert.equal(first.reserve(22001), true);
    const almost = (Date.now() - RESERVED_MS + 10_000) / 1000;
    utimesSync(join(dir, '22001'), almost, almost);
    assert.equal(second.reserve(22001), false, 'not lapsed yet');
    const lapsed = (Date.now() - RESERVED_MS - 10_000) / 1000;
    utimesSync(join(dir, '22001'), lapsed, lapsed);
    assert.equal(second.reserve(22001), true);
    assert.equal(first.reserve(22001), false, 'taken over, it is reserved again');
  });

  it('sweeps only lapsed reservations', () => {
    const dir = join(root, 'sweep');
    const reservations = new PortReservations(dir);
    assert.equal(reservations.reserve(23001), true);
    assert.equal(reservations.reserve(23002), true);
    const old = (Date.now() - RESERVED_MS - 10_000) / 1000;
    utimesSync(join(dir, '23001'), old, old);
    reservations.sweep();
    assert.deepEqual(readdirSync(dir), ['23002']);
  });

  it('never blocks when there is no directory to share', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const reservations = new PortReservations(join(file, 'below-a-file'));
    assert.equal(reservations.reserve(24001), true);
    assert.equal(reservations.reserve(24001), true);
    assert.equal(existsSync(join(file, 'below-a-file')), false);
    reservations.sweep();
  });
});
