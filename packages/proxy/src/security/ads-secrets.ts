// SDS over the ADS stream: the Secret resource handler. A response is checked whole (one malformed secret
// NACKs it and the secrets in force stay); an accepted set replaces the previous one and tells listeners.
import { SECRET_TYPE_URL, type Secret } from '@heddle/xds';
import type { PrepareResult, ResourceHandler } from '../config/resource-handler.ts';
import { compileSecret, type SecretMaterial } from './secret-material.ts';

export class AdsSecrets {
  readonly handler: ResourceHandler<Secret>;
  #secrets: ReadonlyMap<string, SecretMaterial> = new Map();
  readonly #listeners = new Set<() => void>();

  constructor() {
    this.handler = {
      typeUrl: SECRET_TYPE_URL,
      prepare: (resources) => this.#prepare(resources),
    };
  }

  get(name: string): SecretMaterial | undefined {
    return this.#secrets.get(name);
  }

  names(): string[] {
    return [...this.#secrets.keys()].sort();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #prepare(resources: ReadonlyMap<string, Secret>): PrepareResult {
    const next = new Map<string, SecretMaterial>();
    for (const [name, secret] of [...resources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const compiled = compileSecret(secret);
      if ('error' in compiled) return { error: compiled.error };
      next.set(name, compiled);
    }
    return {
      commit: () => {
        const changed = !sameSecrets(this.#secrets, next);
        this.#secrets = next;
        if (changed) for (const listener of [...this.#listeners]) listener();
      },
    };
  }
}

function sameSecrets(
  a: ReadonlyMap<string, SecretMaterial>,
  b: ReadonlyMap<string, SecretMaterial>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [name, secret] of a) {
    const other = b.get(name);
    if (!other || other.kind !== secret.kind) return false;
    if (JSON.stringify(other.material) !== JSON.stringify(secret.material)) return false;
  }
  return true;
}
