// The proxy's SecretProvider: the agent's workload certificate as `default`, everything else from SDS over
// ADS; until ADS delivers `ROOTCA`, the root that came with the workload certificate stands in for it.
import type {
  SecretProvider,
  TlsCertificateMaterial,
  ValidationMaterial,
} from '../upstream/secret-provider.ts';
import type { AdsSecrets } from './ads-secrets.ts';
import type { CertificateAgent } from './certificate-agent.ts';

export const WORKLOAD_CERT_SECRET = 'default';
export const ROOT_CA_SECRET = 'ROOTCA';

export class MeshSecrets implements SecretProvider {
  readonly #agent: CertificateAgent | undefined;
  readonly #ads: AdsSecrets;

  constructor(ads: AdsSecrets, agent: CertificateAgent | undefined) {
    this.#ads = ads;
    this.#agent = agent;
  }

  /** Names the agent answers for, which the proxy need not ask the control plane about. */
  get localNames(): ReadonlySet<string> {
    return new Set(this.#agent ? [WORKLOAD_CERT_SECRET] : []);
  }

  certificate(name: string): TlsCertificateMaterial | undefined {
    if (name === WORKLOAD_CERT_SECRET && this.#agent) {
      // An expired, unrenewed certificate is gone: callers refuse connections rather than go plaintext.
      const current = this.#agent.current;
      return current && { certificateChain: current.certificateChain, privateKey: current.privateKey };
    }
    const secret = this.#ads.get(name);
    return secret?.kind === 'certificate' ? secret.material : undefined;
  }

  validation(name: string): ValidationMaterial | undefined {
    const secret = this.#ads.get(name);
    if (secret?.kind === 'validation') return secret.material;
    const root = name === ROOT_CA_SECRET ? this.#agent?.current?.root : undefined;
    return root !== undefined ? { trustedCa: root } : undefined;
  }

  onChange(listener: () => void): () => void {
    const offAds = this.#ads.onChange(listener);
    const offAgent = this.#agent?.onChange(listener);
    return () => {
      offAds();
      offAgent?.();
    };
  }
}
