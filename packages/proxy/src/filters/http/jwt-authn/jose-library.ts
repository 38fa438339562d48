// jose, loaded the first time a config carries a JWT key set rather than when the proxy starts: a proxy whose
// config has no RequestAuthentication never pays for it (about 50 modules and a few MiB). Synchronous
// (`require` of an ES module) because key sets are compiled while a config update is checked.
import { createRequire } from 'node:module';
import type * as Jose from 'jose';

let library: typeof Jose | undefined;

export function jose(): typeof Jose {
  library ??= createRequire(import.meta.url)('jose') as typeof Jose;
  return library;
}
