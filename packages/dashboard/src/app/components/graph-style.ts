// How the mesh graph looks: one shape per node kind (Kiali's habit: workloads round, services triangles),
// edges labelled with their rate and error share, red above the error threshold.
import type { StylesheetJson } from 'cytoscape';

const INK = '#1f2933';
const MUTED = '#7b8794';
const BLUE = '#2f6fde';
const GREEN = '#2e9e6a';
const RED = '#d64545';

export const GRAPH_STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-valign': 'bottom',
      'text-margin-y': 6,
      'font-size': 11,
      color: INK,
      width: 34,
      height: 34,
      'background-color': BLUE,
      'border-width': 2,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node.workload', style: { shape: 'ellipse' } },
  { selector: 'node.service', style: { shape: 'triangle', 'background-color': GREEN } },
  { selector: 'node.gateway', style: { shape: 'round-diamond', 'background-color': '#6b4fbb' } },
  { selector: 'node.external', style: { shape: 'round-rectangle', 'background-color': MUTED } },
  {
    selector: 'node.unknown',
    style: {
      shape: 'ellipse',
      'background-color': '#ffffff',
      'border-color': MUTED,
      'border-style': 'dashed',
    },
  },
  { selector: 'node.failing', style: { 'border-color': RED, 'border-width': 4 } },
  { selector: 'node.unsynced', style: { 'border-color': '#e8a33d', 'border-width': 4 } },
  { selector: 'node:selected', style: { 'overlay-color': BLUE, 'overlay-opacity': 0.15 } },
  {
    selector: 'edge',
    style: {
      label: 'data(label)',
      'font-size': 10,
      color: INK,
      width: 2,
      'line-color': '#9aa5b1',
      'target-arrow-color': '#9aa5b1',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '2px',
      'text-rotation': 'none',
      // Above the line, so a horizontal edge's label does not sit on its arrow.
      'text-margin-y': -10,
    },
  },
  { selector: 'edge.tcp', style: { 'line-style': 'dashed' } },
  { selector: 'edge.failing', style: { 'line-color': RED, 'target-arrow-color': RED, color: RED, width: 3 } },
];
