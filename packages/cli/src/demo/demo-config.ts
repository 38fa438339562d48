// What the demo applies: the e-commerce example's Istio YAML as it is in examples/ecommerce/ (only the
// jwksUri moved to the port the issuer actually got), plus what one machine needs around it: the mesh-wide
// access log, the trace collector as the mesh's default Zipkin service, and sampling every request.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TextSource } from '@heddle/api';
import { CliError } from '../cli-error.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { isRefusal } from '../client/control-plane-client.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { EXAMPLE_DIR } from './demo-paths.ts';

/** The example's files, in name order, with request-authentication.yaml pointing at `jwksUri`. */
export async function exampleSources(jwksUri: string, dir: string = EXAMPLE_DIR): Promise<TextSource[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.yaml')).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(dir, name), 'utf8');
      return { name: join(dir, name), text: withJwksUri(text, jwksUri) };
    }),
  );
}

/** Every `jwksUri:` value becomes `jwksUri`; nothing else changes. */
export function withJwksUri(yaml: string, jwksUri: string): string {
  return yaml.replace(/^(\s*jwksUri:\s*).*$/gm, `$1${jwksUri}`);
}

/** The parts of the mesh the example leaves to the platform, for one machine. */
export function platformSource(collectorPort: number): TextSource {
  const text = `# Mesh-wide settings of the demo: access logs on each proxy's output, and traces for every request,
# sent to the control plane's own collector, reached as Istio's default zipkin.istio-system:9411.
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |
    accessLogFile: /dev/stdout
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: zipkin
  namespace: istio-system
spec:
  hosts:
    - zipkin.istio-system.svc.cluster.local
  location: MESH_INTERNAL
  resolution: STATIC
  ports:
    - number: 9411
      name: http-zipkin
      protocol: HTTP
  endpoints:
    - address: 127.0.0.1
      ports:
        http-zipkin: ${collectorPort}
      labels:
        security.istio.io/tlsMode: disabled
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system
spec:
  tracing:
    - randomSamplingPercentage: 100
`;
  return { name: 'heddle-demo/platform.yaml', text };
}

/** Applies each source; resolves to the number of resources written or unchanged. */
export async function applySources(
  client: ControlPlaneClient,
  sources: readonly TextSource[],
): Promise<number> {
  let count = 0;
  for (const source of sources) {
    const result = await client.apply(source);
    if (isRefusal(result)) {
      const first = result.findings[0];
      throw new CliError(
        `the control plane refused ${source.name}: ${result.message}${first ? ` (${first.message})` : ''}`,
        EXIT_CODES.FINDINGS,
      );
    }
    count += result.applied.length + result.unchanged.length;
  }
  return count;
}
