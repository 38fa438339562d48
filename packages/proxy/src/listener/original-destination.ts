// The seam for transparent capture: where a redirected connection was originally going.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface SocketAddressInfo {
  readonly address: string;
  readonly port: number;
}

/** What the native addon (native/original_dst.c) returns for a connection iptables redirected. */
export interface NativeOriginalDestination extends SocketAddressInfo {
  readonly family: 'IPv4' | 'IPv6';
}

export interface OriginalDestinationAddon {
  /** undefined when the kernel has no NAT record for the connection; throws (errno name as `code`) otherwise. */
  originalDestination(fd: number): NativeOriginalDestination | undefined;
}

/** Built by `npm run generate -w @heddle/proxy` (scripts/build-native.ts); absent where it cannot be built. */
export const ORIGINAL_DST_ADDON_PATH = fileURLToPath(
  new URL('../../native/build/original_dst.node', import.meta.url),
);

const requireAddon = createRequire(import.meta.url);

/**
 * Loads the addon at `path`: undefined when the file is absent (no compiler at install, not Linux), and also
 * when it cannot be loaded, with a process warning saying why, since the proxy still works for explicit capture.
 */
export function loadOriginalDestinationAddon(
  path = ORIGINAL_DST_ADDON_PATH,
): OriginalDestinationAddon | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const addon = requireAddon(path) as Partial<OriginalDestinationAddon>;
    if (typeof addon.originalDestination === 'function') return addon as OriginalDestinationAddon;
    process.emitWarning(`${path} has no originalDestination function`, { code: 'HEDDLE_ORIGINAL_DST_ADDON' });
  } catch (error) {
    process.emitWarning(`cannot load ${path}: ${(error as Error).message}`, {
      code: 'HEDDLE_ORIGINAL_DST_ADDON',
    });
  }
  return undefined;
}

let addon: OriginalDestinationAddon | undefined;
let addonLoaded = false;

/**
 * The addon, loaded on the first connection a capture listener accepts rather than at start-up, and only once.
 * Only such listeners ask, so an absent addon is worth one warning: their redirected connections would
 * otherwise all look addressed to 15001/15006 and be dropped there without a word.
 */
function defaultAddon(): OriginalDestinationAddon | undefined {
  if (!addonLoaded) {
    addonLoaded = true;
    addon = loadOriginalDestinationAddon();
    if (!addon && !existsSync(ORIGINAL_DST_ADDON_PATH))
      process.emitWarning(
        `${ORIGINAL_DST_ADDON_PATH} is not built (npm run generate -w @heddle/proxy needs cc and Linux): ` +
          'connections redirected by iptables cannot be matched to their original destination',
        { code: 'HEDDLE_ORIGINAL_DST_ADDON' },
      );
  }
  return addon;
}

/**
 * The socket's file descriptor. Node has no public API for it; its libuv handle (`_handle`, internal but
 * stable for years) exposes `fd` on Unix. undefined once the socket is closed, or where there is no fd.
 */
export function socketFileDescriptor(socket: Socket): number | undefined {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

const reportedFailures = new Set<string>();

/**
 * The pre-redirect destination of a connection captured by iptables REDIRECT (`SO_ORIGINAL_DST`), read by the
 * native addon. Call it only on listeners that need it (use_original_dst, the original_dst listener filter):
 * it costs a system call. undefined when the addon is absent or the connection was not redirected; listeners
 * then use the socket's local address, which is exact for explicit capture, where clients connect to the
 * listener's own address. A failure for one connection is reported once per kind and also gives undefined:
 * it must not take the proxy down, and the connection then matches as if it had not been redirected.
 */
export function originalDestinationOf(
  socket: Socket,
  reader: OriginalDestinationAddon | undefined = defaultAddon(),
): SocketAddressInfo | undefined {
  if (!reader) return undefined;
  const fd = socketFileDescriptor(socket);
  if (fd === undefined) return undefined;
  try {
    const original = reader.originalDestination(fd);
    return original ? { address: unmapIpv4(original.address), port: original.port } : undefined;
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException).code ?? 'unknown');
    if (!reportedFailures.has(code)) {
      reportedFailures.add(code);
      process.emitWarning(`cannot read the original destination: ${(error as Error).message}`, {
        code: 'HEDDLE_ORIGINAL_DST_FAILED',
      });
    }
    return undefined;
  }
}

/** `::ffff:10.0.0.1` (a dual-stack socket's view of IPv4) as `10.0.0.1`. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
