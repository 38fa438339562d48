// Semantic rules for WasmPlugin: module source and checksum, pull settings, VM environment, traffic match.
import { COMMON_CODES, OBSERVABILITY_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkPolicyTarget } from '../common/target-ref.ts';
import { parseWasmUrl, type WasmSource } from './wasm-url.ts';

const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkSource(ctx: RuleContext, spec: Readonly<Record<string, unknown>>): WasmSource | undefined {
  // A missing or empty url is reported by the CRD schema (required, minLength 1).
  if (typeof spec.url !== 'string' || spec.url === '') return undefined;
  const source = parseWasmUrl(spec.url);
  if ('problem' in source) {
    ctx.error(OBSERVABILITY_CODES.WASM_URL_INVALID, ['spec', 'url'], source.problem);
    return undefined;
  }
  const sha256 = typeof spec.sha256 === 'string' && spec.sha256 !== '' ? spec.sha256 : undefined;
  if (source.digest && sha256 && source.digest !== sha256) {
    ctx.error(
      OBSERVABILITY_CODES.WASM_SHA256_MISMATCH,
      ['spec', 'sha256'],
      'sha256 differs from the digest in the url, so the module can never be verified; make them equal or drop one',
    );
  }
  if (source.scheme === 'http' && !sha256) {
    ctx.warn(
      OBSERVABILITY_CODES.WASM_URL_INSECURE,
      ['spec', 'url'],
      'the module is downloaded over plain http without a checksum, so anyone on the network path can replace it; use https or set sha256',
    );
  }
  return source;
}

function checkPullSettings(
  ctx: RuleContext,
  spec: Readonly<Record<string, unknown>>,
  source: WasmSource,
): void {
  if (spec.imagePullSecret !== undefined && source.scheme !== 'oci') {
    ctx.warn(
      OBSERVABILITY_CODES.WASM_PULL_SETTING_IGNORED,
      ['spec', 'imagePullSecret'],
      `imagePullSecret only applies to oci:// images and is ignored for ${source.scheme}:// URLs; remove it`,
    );
  }
  const policy = spec.imagePullPolicy;
  if (source.scheme === 'file' && typeof policy === 'string' && policy !== 'UNSPECIFIED_POLICY') {
    ctx.warn(
      OBSERVABILITY_CODES.WASM_PULL_SETTING_IGNORED,
      ['spec', 'imagePullPolicy'],
      'imagePullPolicy does not apply to file:// modules, which are read from the proxy filesystem; remove it',
    );
  }
}

function checkEnv(ctx: RuleContext, vmConfig: unknown): void {
  if (!isRecord(vmConfig) || !Array.isArray(vmConfig.env)) return;
  const seen = new Set<string>();
  vmConfig.env.forEach((variable: unknown, index) => {
    if (!isRecord(variable) || typeof variable.name !== 'string' || variable.name === '') return;
    const path = ['spec', 'vmConfig', 'env', index];
    const name = variable.name;
    if (!C_IDENTIFIER.test(name)) {
      ctx.error(
        OBSERVABILITY_CODES.WASM_ENV_INVALID,
        [...path, 'name'],
        `"${name}" is not a valid environment variable name; use letters, digits and "_", not starting with a digit`,
      );
    }
    if (seen.has(name)) {
      ctx.error(COMMON_CODES.DUPLICATE_ENTRY, [...path, 'name'], `"${name}" is set twice; keep one entry`);
    }
    seen.add(name);
    if (variable.valueFrom === 'HOST' && variable.value !== undefined) {
      ctx.error(
        OBSERVABILITY_CODES.WASM_ENV_INVALID,
        [...path, 'value'],
        'with "valueFrom: HOST" the value comes from the proxy environment; remove "value" or use "valueFrom: INLINE"',
      );
    }
  });
}

function checkMatch(ctx: RuleContext, match: unknown): void {
  if (!Array.isArray(match)) return;
  match.forEach((selector: unknown, index) => {
    if (!isRecord(selector) || !Array.isArray(selector.ports)) return;
    const seen = new Set<number>();
    selector.ports.forEach((port: unknown, portIndex) => {
      const number = isRecord(port) ? port.number : undefined;
      if (typeof number !== 'number') return;
      if (seen.has(number)) {
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          ['spec', 'match', index, 'ports', portIndex],
          `port ${number} is listed twice; keep one entry`,
        );
      }
      seen.add(number);
    });
  });
}

export const validateWasmPlugin: KindValidator = (ctx, spec) => {
  checkPolicyTarget(ctx, spec);
  const source = checkSource(ctx, spec);
  if (source) checkPullSettings(ctx, spec, source);
  checkEnv(ctx, spec.vmConfig);
  checkMatch(ctx, spec.match);
  ctx.info(
    OBSERVABILITY_CODES.WASM_NOT_EXECUTED,
    ['kind'],
    "Heddle's own proxy does not run Wasm modules: this plugin is stored and sent over xDS, and takes effect only on Envoy proxies fed by Heddle",
  );
};
