// Where a WasmPlugin's module comes from: `oci://` (the default when no scheme is written), `http(s)://`, `file://`.

export type WasmScheme = 'oci' | 'http' | 'https' | 'file';

export interface WasmSource {
  readonly scheme: WasmScheme;
  /** The digest written in an OCI reference (`…@sha256:<hex>`), if any. */
  readonly digest?: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const SUPPORTED: readonly WasmScheme[] = ['oci', 'http', 'https', 'file'];

// Image reference grammar (as container registries define it): lower-case path components, a tag of word
// characters, a sha256 digest.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const REGISTRY = /^[A-Za-z0-9.-]+(?::\d+)?$|^\[[0-9A-Fa-f:.]+\](?::\d+)?$/;

function isSupported(scheme: string): scheme is WasmScheme {
  return (SUPPORTED as readonly string[]).includes(scheme);
}

function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Reads an image reference `[registry/]repository[:tag][@sha256:digest]`. */
function parseImageReference(reference: string): WasmSource | { problem: string } {
  if (reference === '') return { problem: 'the url names no image; write "oci://<registry>/<image>:<tag>"' };
  const at = reference.indexOf('@');
  const name = at < 0 ? reference : reference.slice(0, at);
  let digest: string | undefined;
  if (at >= 0) {
    digest = /^sha256:([0-9a-f]{64})$/.exec(reference.slice(at + 1))?.[1];
    if (!digest) {
      return {
        problem: `"${reference}" has a malformed digest; write "@sha256:" followed by 64 lower-case hex digits`,
      };
    }
  }
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const repository = colon < 0 ? name : name.slice(0, colon);
  const tag = colon < 0 ? undefined : name.slice(colon + 1);
  if (tag !== undefined && !TAG.test(tag)) {
    return { problem: `"${tag}" is not a valid image tag; use letters, digits, "_", "." and "-"` };
  }
  const components = repository.split('/');
  if (components.length > 1 && looksLikeRegistry(components[0] ?? '')) {
    const registry = components.shift() ?? '';
    if (!REGISTRY.test(registry)) return { problem: `"${registry}" is not a valid registry host` };
  }
  const bad = components.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) {
    return {
      problem: `"${reference}" is not a valid image reference: "${bad}" must be lower-case letters and digits separated by ".", "_" or "-"`,
    };
  }
  return digest ? { scheme: 'oci', digest } : { scheme: 'oci' };
}

/** Reads a module URL; returns the source, or why it cannot be fetched. */
export function parseWasmUrl(url: string): WasmSource | { problem: string } {
  const written = SCHEME.exec(url)?.[1]?.toLowerCase();
  const scheme = written ?? 'oci';
  if (!isSupported(scheme)) {
    return {
      problem: `"${scheme}://" is not a supported source; use oci:// (an image), https:// or http:// (a .wasm file) or file:// (a file inside the proxy)`,
    };
  }
  if (scheme === 'oci') return parseImageReference(written ? url.slice(SCHEME.exec(url)?.[0].length) : url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: `"${url}" is not a valid URL` };
  }
  if (scheme === 'file') {
    return parsed.pathname === '' || parsed.pathname === '/'
      ? { problem: 'a file:// URL needs the path of the .wasm file, e.g. "file:///opt/filters/auth.wasm"' }
      : { scheme };
  }
  return parsed.hostname === '' ? { problem: `"${url}" has no host name` } : { scheme };
}
