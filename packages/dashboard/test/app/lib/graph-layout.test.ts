import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLUMN_GAP, layeredPositions, ROW_GAP } from '../../../src/app/lib/graph-layout.ts';
import { GRAPH } from '../../support/fixtures.ts';

describe('layered graph layout', () => {
  it('puts callers left of callees, one column per call depth', () => {
    const positions = layeredPositions(
      GRAPH.nodes.map((node) => node.id),
      GRAPH.edges,
    );
    assert.deepEqual(Object.fromEntries(positions), {
      'workload:shop/frontend': { x: 0, y: 0 },
      'service:shop/product.shop.svc.cluster.local': { x: COLUMN_GAP, y: 0 },
      'workload:shop/product-v1': { x: 2 * COLUMN_GAP, y: -ROW_GAP / 2 },
      'workload:shop/product-v2': { x: 2 * COLUMN_GAP, y: ROW_GAP / 2 },
    });
  });

  it('keeps nodes without edges in the first column, centred', () => {
    const positions = layeredPositions(['b', 'a', 'c'], []);
    assert.deepEqual([...positions.entries()].sort(), [
      ['a', { x: 0, y: -ROW_GAP }],
      ['b', { x: 0, y: 0 }],
      ['c', { x: 0, y: ROW_GAP }],
    ]);
  });

  it('ends on cycles and ignores edges to unknown nodes', () => {
    const positions = layeredPositions(
      ['a', 'b'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
        { source: 'a', target: 'ghost' },
        { source: 'a', target: 'a' },
      ],
    );
    assert.equal(positions.size, 2);
    for (const point of positions.values()) assert.ok(point.x >= 0 && point.x <= COLUMN_GAP);
  });

  it('orders a column by where the callers sit, so edges do not cross', () => {
    const positions = layeredPositions(
      ['a1', 'a2', 'z1', 'z2'],
      [
        { source: 'a1', target: 'z2' },
        { source: 'a2', target: 'z1' },
      ],
    );
    assert.ok((positions.get('z2')?.y ?? 0) < (positions.get('z1')?.y ?? 0));
  });
});
