import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

/** A WasmPlugin whose spec body starts on line 5. */
function wasm(body: string): string {
  return `apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: {name: auth, namespace: istio-system}
spec:
${body}`;
}

const DIGEST = 'a'.repeat(64);

describe('WasmPlugin: valid plugins', () => {
  it('accepts OCI, https and file modules with phase, priority and free-form config', () => {
    for (const url of [
      'oci://registry.example.com/custom-auth:v1',
      'registry.example.com/custom-auth:v1',
      `ghcr.io/acme/filter@sha256:${DIGEST}`,
      'https://storage.example.com/filters/auth.wasm',
      'file:///opt/filters/auth.wasm',
    ]) {
      expectClean(
        wasm(`  selector:
    matchLabels: {app: frontend}
  url: "${url}"
  phase: AUTHN
  priority: 10
  failStrategy: FAIL_OPEN
  pluginConfig:
    auth_server: "auth.example.com:8443"
    rules: [{path: /admin, roles: [admin]}]
  vmConfig:
    env:
    - {name: TRUST_DOMAIN, value: cluster.local}
    - {name: POD_NAME, valueFrom: HOST}
  match:
  - mode: SERVER
    ports: [{number: 8080}, {number: 8443}]
`),
      );
    }
  });

  it("says in an Info that Heddle's proxy does not run Wasm modules", () => {
    expectFinding(wasm('  url: oci://registry.example.com/custom-auth:v1\n'), {
      code: 'HEDDLE_WASM_NOT_EXECUTED',
      level: 'Info',
      field: 'kind',
      line: 2,
      message: 'Envoy',
    });
  });
});

describe('WasmPlugin: rejected plugins', () => {
  it('rejects a plugin without a url', () => {
    expectFinding(wasm('  phase: AUTHN\n'), { code: 'HEDDLE_REQUIRED_FIELD', field: 'spec.url', line: 4 });
    expectFinding(wasm('  url: ""\n'), { code: 'HEDDLE_SCHEMA_INVALID', field: 'spec.url', line: 5 });
  });

  it('rejects unsupported schemes and malformed references', () => {
    expectFinding(wasm('  url: "s3://bucket/auth.wasm"\n'), {
      code: 'HEDDLE_WASM_URL_INVALID',
      field: 'spec.url',
      line: 5,
      message: 'oci://',
    });
    expectFinding(wasm('  url: "ghcr.io/Acme/Filter:v1"\n'), { code: 'HEDDLE_WASM_URL_INVALID', line: 5 });
    expectFinding(wasm('  url: "ghcr.io/acme/filter@sha256:abc"\n'), {
      code: 'HEDDLE_WASM_URL_INVALID',
      line: 5,
      message: '64',
    });
    expectFinding(wasm('  url: "file:///"\n'), { code: 'HEDDLE_WASM_URL_INVALID', line: 5 });
  });

  it('rejects a sha256 that is not 64 hex digits', () => {
    expectFinding(wasm('  url: oci://ghcr.io/acme/filter:v1\n  sha256: ABC123\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.sha256',
      line: 6,
    });
  });

  it('rejects a sha256 that differs from the digest in the url', () => {
    expectFinding(wasm(`  url: "ghcr.io/acme/filter@sha256:${DIGEST}"\n  sha256: "${'b'.repeat(64)}"\n`), {
      code: 'HEDDLE_WASM_SHA256_MISMATCH',
      field: 'spec.sha256',
      line: 6,
    });
  });

  it('warns about a module fetched over plain http without a checksum', () => {
    expectFinding(wasm('  url: "http://storage.example.com/auth.wasm"\n'), {
      code: 'HEDDLE_WASM_URL_INSECURE',
      level: 'Warning',
      field: 'spec.url',
      line: 5,
    });
    expectNoFinding(
      wasm(`  url: "http://storage.example.com/auth.wasm"\n  sha256: "${DIGEST}"\n`),
      'HEDDLE_WASM_URL_INSECURE',
    );
  });

  it('rejects unknown phases and pull policies, and non-integer priorities', () => {
    expectFinding(wasm('  url: oci://ghcr.io/a/b:v1\n  phase: AUTH\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: 'spec.phase',
      line: 6,
      message: 'AUTHN',
    });
    expectFinding(wasm('  url: oci://ghcr.io/a/b:v1\n  imagePullPolicy: Never\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: 'spec.imagePullPolicy',
      line: 6,
    });
    expectFinding(wasm('  url: oci://ghcr.io/a/b:v1\n  priority: 1.5\n'), {
      code: 'HEDDLE_SCHEMA_TYPE',
      field: 'spec.priority',
      line: 6,
    });
  });

  it('warns about pull settings that do not apply to the url', () => {
    expectFinding(
      wasm('  url: "https://storage.example.com/auth.wasm"\n  imagePullSecret: registry-creds\n'),
      {
        code: 'HEDDLE_WASM_PULL_SETTING_IGNORED',
        level: 'Warning',
        field: 'spec.imagePullSecret',
        line: 6,
      },
    );
    expectFinding(wasm('  url: "file:///opt/auth.wasm"\n  imagePullPolicy: Always\n'), {
      code: 'HEDDLE_WASM_PULL_SETTING_IGNORED',
      field: 'spec.imagePullPolicy',
      line: 6,
    });
  });

  it('rejects invalid, duplicate and HOST-sourced-with-value environment variables', () => {
    const yaml = wasm(`  url: oci://ghcr.io/a/b:v1
  vmConfig:
    env:
    - {name: 1BAD, value: x}
    - {name: MODE, value: a}
    - {name: MODE, value: b}
    - {name: HOME, valueFrom: HOST, value: /root}
`);
    expectFinding(yaml, { code: 'HEDDLE_WASM_ENV_INVALID', field: 'spec.vmConfig.env[0].name', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.vmConfig.env[2].name', line: 10 });
    expectFinding(yaml, { code: 'HEDDLE_WASM_ENV_INVALID', field: 'spec.vmConfig.env[3].value', line: 11 });
  });

  it('rejects duplicate and out-of-range match ports', () => {
    const yaml = wasm('  url: oci://ghcr.io/a/b:v1\n  match:\n  - ports: [{number: 80}, {number: 80}]\n');
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.match[0].ports[1]', line: 7 });
    expectFinding(wasm('  url: oci://ghcr.io/a/b:v1\n  match:\n  - ports: [{number: 0}]\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.match[0].ports[0].number',
      line: 7,
    });
  });

  it('rejects pluginConfig that is not a map', () => {
    expectFinding(wasm('  url: oci://ghcr.io/a/b:v1\n  pluginConfig: "auth_server=x"\n'), {
      code: 'HEDDLE_SCHEMA_TYPE',
      field: 'spec.pluginConfig',
      line: 6,
    });
  });
});
