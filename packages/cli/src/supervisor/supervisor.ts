// A group of supervised children started in order and stopped in the reverse order (the gateway before the
// control plane, the app before its sidecar), each with SIGTERM then SIGKILL after its deadline.
import type { ChildExit, ChildSpec } from './child-spec.ts';
import { SupervisedChild, type ChildEvents } from './supervised-child.ts';

export class Supervisor {
  readonly #children: SupervisedChild[] = [];

  /** Starts a child after the ones already started; rejects when it cannot be spawned. */
  async start(spec: ChildSpec, events: ChildEvents = {}): Promise<SupervisedChild> {
    const child = new SupervisedChild(spec, events);
    this.#children.push(child);
    await child.start();
    return child;
  }

  get children(): readonly SupervisedChild[] {
    return this.#children;
  }

  /** Stops every child, last started first, each waiting for the previous to end. */
  async stopAll(): Promise<ChildExit[]> {
    const exits: ChildExit[] = [];
    for (const child of [...this.#children].reverse()) exits.push(await child.stop());
    return exits;
  }

  /** SIGKILL to every child at once (a second Ctrl+C). */
  killAll(): void {
    for (const child of this.#children) child.kill();
  }
}
