// The cytoscape canvas of the mesh graph. Refreshes replace the data in place and keep node positions, so
// the picture does not jump every five seconds; a layout runs only when nodes come or go.
import cytoscape from 'cytoscape';
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { useEffect, useRef } from 'preact/hooks';
import { layeredPositions } from '../lib/graph-layout.ts';
import { GRAPH_STYLE } from './graph-style.ts';

const FIT_MAX_ZOOM = 1.4;

export interface MeshGraphCanvasProps {
  readonly elements: readonly ElementDefinition[];
  readonly onNodeClick: (nodeId: string) => void;
}

export function MeshGraphCanvas({ elements, onNodeClick }: MeshGraphCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const nodeIds = useRef('');
  const clickHandler = useRef(onNodeClick);
  clickHandler.current = onNodeClick;

  useEffect(() => {
    if (!container.current) return undefined;
    const instance = cytoscape({
      container: container.current,
      style: GRAPH_STYLE,
      minZoom: 0.3,
      maxZoom: 3,
      wheelSensitivity: 0.3,
    });
    instance.on('tap', 'node', (event) => clickHandler.current((event.target as NodeSingular).id()));
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
      nodeIds.current = '';
    };
  }, []);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    const ids = elements
      .filter((element) => element.group === 'nodes')
      .map((element) => String(element.data.id))
      .sort()
      .join('\n');
    const positions = new Map(instance.nodes().map((node) => [node.id(), { ...node.position() }]));
    instance.batch(() => {
      instance.elements().remove();
      instance.add(elements.map((element) => ({ ...element, data: { ...element.data } })));
    });
    if (ids !== nodeIds.current) {
      nodeIds.current = ids;
      const layout = layeredPositions(
        instance.nodes().map((node) => node.id()),
        instance.edges().map((edge) => ({ source: edge.source().id(), target: edge.target().id() })),
      );
      instance.layout({ name: 'preset', positions: Object.fromEntries(layout) }).run();
      instance.fit(undefined, 40);
      // A graph of two or three nodes would otherwise be blown up to the maximum zoom.
      if (instance.zoom() > FIT_MAX_ZOOM) {
        instance.zoom(FIT_MAX_ZOOM);
        instance.center();
      }
    } else {
      for (const node of instance.nodes()) {
        const position = positions.get(node.id());
        if (position) node.position(position);
      }
    }
  }, [elements]);

  return <div ref={container} class="graph-canvas" data-testid="graph-canvas" />;
}
