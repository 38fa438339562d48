// Preloaded (`--import`) into each Node child of the supervisor: when the supervisor dies, the child gets the
// SIGTERM it would have been sent, so its own graceful shutdown runs; a hard exit follows if that hangs.
import { watchSupervisor } from './liveness-fd.ts';

/** How long a child may take to stop on its own once its supervisor is gone. */
const ORPHAN_EXIT_DEADLINE_MS = 15_000;

watchSupervisor(() => {
  setTimeout(() => process.exit(1), ORPHAN_EXIT_DEADLINE_MS).unref();
  process.kill(process.pid, 'SIGTERM');
});
