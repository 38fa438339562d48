// Builds native/original_dst.c (the SO_ORIGINAL_DST reader transparent capture needs) into
// native/build/original_dst.node with the system C compiler and the running Node's N-API headers. Without a
// compiler, headers or Linux it prints one warning and exits 0: explicit capture works without the addon.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(PACKAGE_DIR, 'native', 'original_dst.c');
const ADDON_OUTPUT = join(PACKAGE_DIR, 'native', 'build', 'original_dst.node');

/**
 * Where node_api.h may be, best first: a regular Node install (`<prefix>/include/node`); the npm `node`
 * package, whose bin/node sits beside (or is hoisted next to) `node-<platform>-<arch>` holding the headers; and
 * the system's Node headers. Any of them will do: N-API is ABI-stable, and the addon asks for version 8 only.
 */
function headerCandidates(): string[] {
  const binDir = dirname(process.execPath);
  const platformPackage = `node-${process.platform}-${process.arch}`;
  return [
    join(binDir, '..', 'include', 'node'),
    join(binDir, '..', 'node_modules', platformPackage, 'include', 'node'),
    join(binDir, '..', '..', platformPackage, 'include', 'node'),
    join(PACKAGE_DIR, '..', '..', 'node_modules', 'node', 'node_modules', platformPackage, 'include', 'node'),
    join(PACKAGE_DIR, '..', '..', 'node_modules', platformPackage, 'include', 'node'),
    '/usr/local/include/node',
    '/usr/include/node',
  ];
}

function findHeaders(): string | undefined {
  return headerCandidates().find((dir) => existsSync(join(dir, 'node_api.h')));
}

function findCompiler(): string | undefined {
  const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter((c): c is string => !!c);
  return candidates.find((compiler) => spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status === 0);
}

function warn(reason: string): void {
  process.stderr.write(
    `heddle-proxy: original_dst addon not built (${reason}); transparent capture will not see original destinations\n`,
  );
}

function build(): number {
  if (process.platform !== 'linux') return (warn('SO_ORIGINAL_DST exists on Linux only'), 0);
  const headers = findHeaders();
  if (!headers) return (warn('no node_api.h found for this Node'), 0);
  const compiler = findCompiler();
  if (!compiler) return (warn('no C compiler (cc) on PATH'), 0);
  mkdirSync(dirname(ADDON_OUTPUT), { recursive: true });
  // Written aside and renamed, so a proxy starting meanwhile never loads half a file. N-API symbols are
  // left undefined: the node binary provides them when the addon is loaded.
  const staging = `${ADDON_OUTPUT}.${process.pid}.tmp`;
  const result = spawnSync(
    compiler,
    ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', `-I${headers}`, '-o', staging, SOURCE],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    rmSync(staging, { force: true });
    process.stderr.write(`heddle-proxy: compiling ${SOURCE} failed:\n${result.stderr || result.error}\n`);
    return 1;
  }
  renameSync(staging, ADDON_OUTPUT);
  return 0;
}

process.exitCode = build();
