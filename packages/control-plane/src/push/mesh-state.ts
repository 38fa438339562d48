// The snapshot and MeshIndex in force: built once per push, shared by every proxy's translation.
import { buildMeshIndex, type MeshIndex, type MeshService, type MeshSnapshot } from '@heddle/translate';
import { buildMeshSnapshot, type BuildMeshSnapshotOptions } from '../snapshot/build-mesh-snapshot.ts';
import type { EffectiveMeshConfig } from '../snapshot/effective-mesh-config.ts';
import type { ConfigStore } from '../store/config-store.ts';

export interface MeshStateView {
  readonly snapshot: MeshSnapshot;
  readonly index: MeshIndex;
  readonly meshConfig: EffectiveMeshConfig;
}

export interface MeshStateOptions extends BuildMeshSnapshotOptions {
  readonly store: ConfigStore;
  readonly services: () => readonly MeshService[];
}

export class MeshState {
  readonly #options: MeshStateOptions;
  #current: MeshStateView | undefined;

  constructor(options: MeshStateOptions) {
    this.#options = options;
  }

  /** Undefined until the first rebuild finished. */
  current(): MeshStateView | undefined {
    return this.#current;
  }

  async rebuild(): Promise<MeshStateView> {
    const { store, services, ...options } = this.#options;
    const built = await buildMeshSnapshot(store, services(), options);
    this.#current = {
      snapshot: built.snapshot,
      index: buildMeshIndex(built.snapshot),
      meshConfig: built.meshConfig,
    };
    return this.#current;
  }
}
