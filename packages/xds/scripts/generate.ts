// Generates src/gen/ (Envoy v3 TypeScript via buf + protoc-gen-es) from the .proto files in @grpc/grpc-js-xds.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = join(import.meta.dirname, '..');
const outDir = join(packageDir, 'src', 'gen');
// Outside src/ so that tsc, eslint and prettier never see a half-written tree.
const stagingDir = join(packageDir, '.gen-staging');

const depsDir = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const bufBin = require.resolve('@bufbuild/buf/bin/buf');
const pluginBin = require.resolve('@bufbuild/protoc-gen-es/bin/protoc-gen-es');

// Entry points: every .proto under these paths is generated, together with everything it imports.
const entries = [
  'envoy/config/core/v3',
  'envoy/config/listener/v3',
  'envoy/config/route/v3',
  'envoy/config/cluster/v3',
  'envoy/config/endpoint/v3',
  'envoy/config/rbac/v3',
  'envoy/config/bootstrap/v3',
  'envoy/admin/v3',
  'envoy/extensions/filters/network/http_connection_manager/v3',
  'envoy/extensions/filters/network/tcp_proxy/v3',
  'envoy/extensions/filters/network/rbac/v3',
  'envoy/extensions/filters/listener/tls_inspector/v3',
  'envoy/extensions/filters/listener/http_inspector/v3',
  'envoy/extensions/filters/listener/original_dst/v3',
  'envoy/extensions/filters/http/router/v3',
  'envoy/extensions/filters/http/fault/v3',
  'envoy/extensions/filters/http/rbac/v3',
  'envoy/extensions/filters/http/cors/v3',
  'envoy/extensions/filters/http/jwt_authn/v3',
  'envoy/extensions/filters/http/ext_authz/v3',
  'envoy/extensions/filters/http/local_ratelimit/v3',
  'envoy/extensions/filters/http/compressor/v3',
  'envoy/extensions/filters/http/wasm/v3',
  'envoy/extensions/compression/gzip/compressor/v3',
  'envoy/extensions/access_loggers/file/v3',
  'envoy/extensions/access_loggers/stream/v3',
  'envoy/extensions/transport_sockets/tls/v3',
  'envoy/extensions/transport_sockets/raw_buffer/v3',
  'envoy/extensions/upstreams/http/v3',
  'envoy/extensions/clusters/aggregate/v3',
  'envoy/extensions/load_balancing_policies/round_robin/v3',
  'envoy/extensions/load_balancing_policies/least_request/v3',
  'envoy/extensions/load_balancing_policies/ring_hash/v3',
  'envoy/extensions/load_balancing_policies/wrr_locality/v3',
  'envoy/extensions/load_balancing_policies/pick_first/v3',
  'envoy/service/discovery/v3',
  'envoy/service/status/v3',
  'envoy/service/secret/v3',
  'envoy/service/load_stats/v3',
  'envoy/service/auth/v3',
  'envoy/config/trace/v3/zipkin.proto',
  'envoy/config/trace/v3/opentelemetry.proto',
  'envoy/config/trace/v3/http_tracer.proto',
  'envoy/type/tracing/v3',
  'envoy/extensions/access_loggers/filters/cel/v3',
  'istio/v1/auth',
  'xds/type/v3/typed_struct.proto',
  'udpa/type/v1/typed_struct.proto',
];

// One proto root assembled from the package's separate roots (buf needs them in one tree).
const roots: Record<string, string> = {
  envoy: join(depsDir, 'envoy-api', 'envoy'),
  xds: join(depsDir, 'xds', 'xds'),
  udpa: join(depsDir, 'xds', 'udpa'),
  google: join(depsDir, 'googleapis', 'google'),
  // Heddle's own protos: the CA's signing service (Istio's shape).
  istio: join(packageDir, 'proto', 'istio'),
};

// The validate.proto shipped beside envoy-api predates StringRules.ignore_empty, which envoy-api uses;
// protobufjs ignores unknown option fields but a real compiler does not. Field 26 is its upstream number.
function patchedValidateProto(): string {
  const source = readFileSync(join(depsDir, 'protoc-gen-validate', 'validate', 'validate.proto'), 'utf8');
  if (/\bignore_empty\b/.test(source)) return source;
  const anchor = 'optional bool strict = 25 [default = true];';
  if (!source.includes(anchor)) throw new Error('validate.proto: StringRules.strict not found; cannot patch');
  return source.replace(anchor, `${anchor}\n  optional bool ignore_empty = 26;`);
}

function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true }).filter((name) => String(name).endsWith('.ts')).length;
}

const started = performance.now();
const workspace = mkdtempSync(join(tmpdir(), 'heddle-xds-proto-'));
try {
  for (const [name, target] of Object.entries(roots)) symlinkSync(target, join(workspace, name));
  mkdirSync(join(workspace, 'validate'));
  writeFileSync(join(workspace, 'validate', 'validate.proto'), patchedValidateProto());

  const template = {
    version: 'v2',
    plugins: [
      {
        // Run the plugin with this Node (>= 24), whatever `node` is first on PATH.
        local: [process.execPath, pluginBin],
        out: stagingDir,
        opt: ['target=ts', 'import_extension=ts', 'erasable_syntax=true'],
        include_imports: true,
        // One plugin run for all files, instead of one Node process per directory.
        strategy: 'all',
      },
    ],
  };
  rmSync(stagingDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      bufBin,
      'generate',
      '.',
      '--template',
      JSON.stringify(template),
      ...entries.flatMap((path) => ['--path', path]),
    ],
    { cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  writeFileSync(join(stagingDir, 'files.ts'), filesModule(stagingDir));
  rmSync(outDir, { recursive: true, force: true });
  renameSync(stagingDir, outDir);
} finally {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(stagingDir, { recursive: true, force: true });
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `@heddle/xds: generated ${countFiles(outDir)} files into ${relative(process.cwd(), outDir) || '.'} in ${seconds}s`,
);

// A module listing every generated file descriptor, so that one registry can hold every message type.
function filesModule(dir: string): string {
  const modules = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('_pb.ts'))
    .sort();
  const imports: string[] = [];
  const names: string[] = [];
  modules.forEach((module, index) => {
    const source = readFileSync(join(dir, module), 'utf8');
    const match = /^export const (file_\w+): GenFile\b/m.exec(source);
    if (!match?.[1]) throw new Error(`${module}: no file descriptor export found`);
    imports.push(`import { ${match[1]} as f${index} } from './${module}';`);
    names.push(`f${index}`);
  });
  return [
    '// Generated by scripts/generate.ts: every generated file descriptor.',
    "import type { GenFile } from '@bufbuild/protobuf/codegenv2';",
    ...imports,
    '',
    `export const generatedFiles: readonly GenFile[] = [${names.join(', ')}];`,
    '',
  ].join('\n');
}
