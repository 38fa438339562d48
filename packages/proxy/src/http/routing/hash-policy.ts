// Envoy route hash policies (header, cookie, source IP, query parameter) compiled to one hash-key function.
import { durationMs } from '@bufbuild/protobuf/wkt';
import type { RouteAction_HashPolicy } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { allValues } from '../headers.ts';
import type { HashKeyFunction, HashPolicyContext } from './compiled-route.ts';
import type { CompileResult } from './string-matcher.ts';

type Part = (context: HashPolicyContext) => { key?: string; setCookie?: string };

function cookieValue(context: HashPolicyContext, name: string): string | undefined {
  for (const header of allValues(context.headers, 'cookie')) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
    }
  }
  return undefined;
}

/** A stable value for a generated cookie (Envoy derives it from the client address too). */
function generatedCookieValue(address: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) hash = Math.imul(hash ^ address.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

function part(policy: RouteAction_HashPolicy): CompileResult<Part> {
  const spec = policy.policySpecifier;
  switch (spec.case) {
    case 'header': {
      if (spec.value.regexRewrite) return { error: 'hash_policy.header.regex_rewrite is not supported' };
      const name = spec.value.headerName.toLowerCase();
      return {
        value: (c) => {
          const values = allValues(c.headers, name);
          return values.length > 0 ? { key: values.join(',') } : {};
        },
      };
    }
    case 'cookie': {
      const { name, path } = spec.value;
      const ttlMs = spec.value.ttl ? durationMs(spec.value.ttl) : undefined;
      const attributes = spec.value.attributes.map((a) => (a.value === '' ? a.name : `${a.name}=${a.value}`));
      return {
        value: (c) => {
          const existing = cookieValue(c, name);
          if (existing !== undefined) return { key: existing };
          // Without a ttl Envoy only hashes a cookie the client sends; with one it sets it.
          if (ttlMs === undefined) return {};
          const value = generatedCookieValue(c.remoteAddress);
          const parts = [`${name}="${value}"`, `Max-Age=${Math.floor(ttlMs / 1000)}`];
          if (path !== '') parts.push(`Path=${path}`);
          parts.push('HttpOnly', ...attributes);
          return { key: value, setCookie: parts.join('; ') };
        },
      };
    }
    case 'connectionProperties':
      return { value: (c) => (spec.value.sourceIp ? { key: c.remoteAddress } : {}) };
    case 'queryParameter': {
      const name = spec.value.name;
      return {
        value: (c) => {
          const v = c.query().get(name)?.[0];
          return v !== undefined ? { key: v } : {};
        },
      };
    }
    case 'filterState':
      return { error: 'hash_policy.filter_state is not supported' };
    case undefined:
      return { error: 'hash_policy has no policy specifier' };
  }
}

/** Undefined for no policies. Keys of several policies are combined; a terminal policy that yields stops. */
export function compileHashPolicy(
  policies: readonly RouteAction_HashPolicy[],
): CompileResult<HashKeyFunction | undefined> {
  if (policies.length === 0) return { value: undefined };
  const parts: { fn: Part; terminal: boolean }[] = [];
  for (const policy of policies) {
    const compiled = part(policy);
    if ('error' in compiled) return compiled;
    parts.push({ fn: compiled.value, terminal: policy.terminal });
  }
  return {
    value: (context) => {
      let key: string | undefined;
      let setCookie: string | undefined;
      for (const { fn, terminal } of parts) {
        const result = fn(context);
        if (result.setCookie !== undefined) setCookie = result.setCookie;
        if (result.key === undefined) continue;
        key = key === undefined ? result.key : `${key}\u0000${result.key}`;
        if (terminal) break;
      }
      return { ...(key !== undefined ? { key } : {}), ...(setCookie !== undefined ? { setCookie } : {}) };
    },
  };
}
