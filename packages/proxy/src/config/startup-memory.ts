// Start-up memory tuning shared by the proxy's entry points (the single process and each worker).
import { enableCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';

/**
 * Start-up memory. The compile cache keeps the stripped form of the TypeScript sources on disk, so later
 * starts skip most of the type stripper's work (it still runs for this file and the few it imports, which
 * load before the cache is on; `NODE_COMPILE_CACHE` in the environment avoids even that, and the stripper's
 * WebAssembly, about 20 MiB).
 * While the proxy's modules load and its first config is applied, V8 would grow the young generation to
 * 32 MiB per semi-space and keep it, idle, for good (about 50 MiB of RSS), and promote the loading's garbage
 * into an old generation sized for speed (about 9 MiB more). Until the first config is applied, the young
 * generation's growth is held off and V8 collects for size; then its defaults return, so a proxy under load
 * sizes its heap as before (holding the young generation small for good makes collections cost about 15%
 * of the CPU under load). Flags of the operator's own for either win. Returns what ends the start-up phase.
 */
export function holdStartupMemory(): () => void {
  enableCompileCache();
  const own = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`;
  // [while starting, afterwards (V8's defaults)]
  const startup: [string, string][] = [];
  if (!/--(semi[-_]space[-_]growth[-_]factor|max[-_]semi[-_]space[-_]size)\b/.test(own))
    startup.push(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
  if (!/--(no[-_])?optimize[-_]for[-_]size\b/.test(own))
    startup.push(['--optimize-for-size', '--no-optimize-for-size']);
  for (const [starting] of startup) setFlagsFromString(starting);
  const end = (): void => {
    for (const [, afterwards] of startup.splice(0)) setFlagsFromString(afterwards);
  };
  // A proxy that never gets its config is not left with a small young generation for good.
  setTimeout(end, 60_000).unref();
  return end;
}
