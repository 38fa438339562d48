// What the proxy loads before it has a config: the libraries only some configs need (jose for JWT key sets,
// cel-js for access log filters, an X.509 library) stay unloaded until a config asks for them, since every
// module loaded at start stays in every idle proxy's memory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const SRC = join(import.meta.dirname, '..', 'src');
const url = (path: string): string => JSON.stringify(pathToFileURL(join(SRC, path)).href);

/** Runs `body` in a fresh Node after importing the proxy; returns the packages loaded at each `mark(name)`. */
function loadedPackages(body: string): Record<string, string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const packages = new Set();
    registerHooks({
      load(url, context, next) {
        const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(url);
        if (match) packages.add(match[1]);
        return next(url, context);
      },
    });
    const marks = {};
    const mark = (name) => { marks[name] = [...packages].sort(); };
    await import(${url('proxy.ts')});
    mark('started');
    ${body}
    process.stdout.write(JSON.stringify(marks));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, string[]>;
}

const LAZY = ['jose', '@marcbachmann/cel-js', '@peculiar/x509', 'reflect-metadata', 'asn1js', 'tsyringe'];

describe('modules loaded at start', { timeout: 120_000 }, () => {
  it('leaves the JWT, CEL and X.509 libraries unloaded, and loads jose and cel-js when a config needs them', () => {
    const marks = loadedPackages(`
      const { compileInlineJwks } = await import(${url('filters/http/jwt-authn/jwks.ts')});
      const { compileCelFilter } = await import(${url('telemetry/access-log/cel-filter.ts')});
      const { createWorkloadCsr } = await import(${url('security/workload-csr.ts')});
      await createWorkloadCsr('spiffe://cluster.local/ns/a/sa/b');
      mark('csr');
      const key = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
      if (compileInlineJwks(JSON.stringify({ keys: [key] }), 'test').error) throw new Error('jwks refused');
      mark('jwks');
      if ('error' in compileCelFilter('response.code >= 400')) throw new Error('cel refused');
      mark('cel');
    `);
    const started = marks['started'] ?? [];
    assert.ok(started.includes('@grpc/grpc-js'), 'the hook sees the packages the proxy loads');
    for (const name of LAZY) assert.ok(!started.includes(name), `${name} is loaded at start`);
    // A workload certificate request needs no X.509 library at all.
    for (const name of LAZY) assert.ok(!marks['csr']?.includes(name), `${name} is loaded for a CSR`);
    assert.ok(marks['jwks']?.includes('jose'));
    assert.ok(!marks['jwks']?.includes('@marcbachmann/cel-js'));
    assert.ok(marks['cel']?.includes('@marcbachmann/cel-js'));
  });
});
