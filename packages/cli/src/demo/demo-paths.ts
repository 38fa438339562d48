// Where `heddle demo` keeps its mesh: a data directory of its own (`~/.heddle-demo` unless --data-dir says
// otherwise), so it never meets the `heddle up` of `~/.heddle`; the demo's own files live in `<dir>/demo/`.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEMO_DIR_NAME = '.heddle-demo';

export function resolveDemoDataDir(
  option: string | undefined,
  cwd: string,
  home: string = homedir(),
): string {
  if (option !== undefined && option !== '') return resolve(cwd, option);
  return join(home, DEMO_DIR_NAME);
}

export function demoPaths(dataDir: string) {
  const dir = join(dataDir, 'demo');
  return {
    dir,
    /** The demo CA's certificate: what clients trust to reach https://shop.example.com. */
    caCertificate: join(dir, 'ca.crt'),
    /** The gateway's certificate for shop.example.com (stored as the secret shop-example-cert) and its key. */
    shopCertificate: join(dir, 'shop.example.com.crt'),
    shopKey: join(dir, 'shop.example.com.key'),
    /** The test issuer's private key (JWK) and the key set the control plane and auth service fetch. */
    issuerKey: join(dir, 'issuer-key.json'),
    jwks: join(dir, 'jwks.json'),
    /** Every port and workload of this run, written before the mesh starts. */
    plan: join(dir, 'plan.json'),
    /** The mesh process's own output (and the apps'). */
    meshLog: join(dataDir, 'logs', 'demo-mesh.log'),
  } as const;
}

/** The e-commerce example: the Istio YAML the demo applies and the services it runs. */
export const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'ecommerce');
export const SERVICES_DIR = join(EXAMPLE_DIR, 'services');
