// A worker's SecretProvider: the main process holds the certificate agent and the SDS subscription, and
// sends the material the config in force names whenever it changes; listeners and clusters in the worker
// rebuild their TLS contexts on the change, as they do in a single process.
import type {
  SecretProvider,
  TlsCertificateMaterial,
  ValidationMaterial,
} from '../upstream/secret-provider.ts';
import type { WireSecret } from './worker-protocol.ts';

export class MirroredSecrets implements SecretProvider {
  #certificates = new Map<string, TlsCertificateMaterial>();
  #validations = new Map<string, ValidationMaterial>();
  #current = '[]';
  readonly #listeners = new Set<() => void>();

  certificate(name: string): TlsCertificateMaterial | undefined {
    return this.#certificates.get(name);
  }

  validation(name: string): ValidationMaterial | undefined {
    return this.#validations.get(name);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  replace(secrets: readonly WireSecret[]): void {
    const text = JSON.stringify(secrets);
    if (text === this.#current) return;
    this.#current = text;
    this.#certificates = new Map(
      secrets.flatMap((secret) => (secret.certificate ? [[secret.name, secret.certificate]] : [])),
    );
    this.#validations = new Map(
      secrets.flatMap((secret) => (secret.validation ? [[secret.name, secret.validation]] : [])),
    );
    for (const listener of [...this.#listeners]) listener();
  }
}
