import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MeshGraph } from '@heddle/api';
import {
  buildEdgeRows,
  buildGraphElements,
  detailRouteOf,
  edgeLabel,
  nodeLabel,
} from '../../../src/app/lib/graph-elements.ts';
import { GRAPH } from '../../support/fixtures.ts';

describe('graph elements from a MeshGraph', () => {
  it('makes one cytoscape node per graph node, classed by kind', () => {
    const elements = buildGraphElements(GRAPH);
    const nodes = elements.filter((element) => element.group === 'nodes');
    assert.deepEqual(
      nodes.map((node) => [node.data.id, node.classes]),
      [
        ['workload:shop/frontend', 'workload'],
        ['service:shop/product.shop.svc.cluster.local', 'service'],
        ['workload:shop/product-v1', 'workload'],
        ['workload:shop/product-v2', 'workload unsynced'],
      ],
    );
  });

  it('labels workloads with their app and version', () => {
    const [frontend, product, v1] = GRAPH.nodes;
    assert.ok(frontend && product && v1);
    assert.equal(nodeLabel(v1), 'product-v1\nproduct v1');
    assert.equal(nodeLabel(product), 'product');
    assert.equal(nodeLabel({ ...v1, label: 'product', app: 'product', version: undefined }), 'product');
  });

  it('labels edges with rate and error share, marks mTLS, and reddens edges above 5 % errors', () => {
    const edges = buildGraphElements(GRAPH).filter((element) => element.group === 'edges');
    assert.deepEqual(
      edges.map((edge) => [String(edge.data.label), edge.classes]),
      [
        ['12.5 rps · 2 % · mTLS', 'http mtls'],
        ['10 rps · 0 % · mTLS', 'http mtls'],
        ['2.5 rps · 10 %', 'http failing'],
      ],
    );
  });

  it('leaves error share out of TCP edge labels', () => {
    const [edge] = GRAPH.edges;
    assert.ok(edge);
    assert.equal(edgeLabel({ ...edge, protocol: 'tcp', mtls: false }), '12.5 rps');
  });

  it('drops edges whose ends are unknown, since cytoscape would refuse them', () => {
    const graph: MeshGraph = {
      ...GRAPH,
      edges: [...GRAPH.edges, { ...GRAPH.edges[0]!, id: 'x->y', source: 'x', target: 'y' }],
    };
    const edges = buildGraphElements(graph).filter((element) => element.group === 'edges');
    assert.equal(edges.length, GRAPH.edges.length);
  });

  it('lists edges for the table, busiest first, with readable cells', () => {
    const rows = buildEdgeRows(GRAPH);
    assert.deepEqual(
      rows.map((row) => [
        row.sourceLabel,
        row.targetLabel,
        row.rate,
        row.errors,
        row.p99,
        row.mtls,
        row.failing,
      ]),
      [
        ['frontend', 'product', '12.5 rps', '2 %', '41 ms', true, false],
        ['product', 'product-v1', '10 rps', '0 %', '12 ms', true, false],
        ['product', 'product-v2', '2.5 rps', '10 %', '90 ms', false, true],
      ],
    );
  });

  it('opens workload and service details from nodes; external nodes have none', () => {
    const [frontend, product] = GRAPH.nodes;
    assert.ok(frontend && product);
    assert.deepEqual(detailRouteOf(frontend), { view: 'workload', namespace: 'shop', name: 'frontend' });
    assert.deepEqual(detailRouteOf(product), {
      view: 'service',
      namespace: 'shop',
      host: 'product.shop.svc.cluster.local',
    });
    assert.equal(detailRouteOf({ ...product, kind: 'external' }), undefined);
  });
});
