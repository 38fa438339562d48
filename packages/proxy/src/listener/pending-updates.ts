// LDS updates prepared but not yet committed: the filter chains each compiled and the listeners each bound
// ahead of its ACK. A committed update supersedes the others (their chains close, their sockets are
// released); a rejected one is dropped alone, so an update still warming stays whole.
import type { TerminalNetworkFilter } from '../filters/network/network-filter.ts';
import type { ActiveListener } from './active-listener.ts';
import type { CompiledListener } from './compile-listener.ts';

/** Per listener name: its compiled config, or `unchanged` (the listener in force is not touched). */
export type Plan = Map<string, CompiledListener | 'unchanged'>;

export interface PendingUpdate {
  readonly plan: Plan;
  /** Terminal filters compiled for this update: closed if it is never committed. */
  readonly terminals: TerminalNetworkFilter[];
  /** Listeners bound for this update before its ACK, holding their connections until commit. */
  readonly staged: Map<string, ActiveListener>;
}

export class PendingUpdates {
  readonly #updates = new Set<PendingUpdate>();

  open(): PendingUpdate {
    const update: PendingUpdate = { plan: new Map(), terminals: [], staged: new Map() };
    this.#updates.add(update);
    return update;
  }

  /** Drops an update that will not be committed: its sockets and its new filter chains. */
  discard(update: PendingUpdate): void {
    this.#updates.delete(update);
    releaseSockets(update);
    for (const terminal of update.terminals.splice(0)) terminal.close();
  }

  /** Frees the sockets other updates bound, so `update` may bind the same addresses. */
  releaseSocketsExcept(update: PendingUpdate): void {
    for (const other of this.#updates) if (other !== update) releaseSockets(other);
  }

  /** `update` goes live; every other pending update is superseded. */
  commit(update: PendingUpdate): void {
    this.#updates.delete(update);
    for (const other of [...this.#updates]) this.discard(other);
  }

  discardAll(): void {
    for (const update of [...this.#updates]) this.discard(update);
  }
}

/** A released listener's update binds afresh at commit, should it still be committed. */
function releaseSockets(update: PendingUpdate): void {
  for (const listener of update.staged.values()) listener.release();
  update.staged.clear();
}
