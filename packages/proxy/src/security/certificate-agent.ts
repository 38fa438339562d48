// The proxy's certificate agent: keeps the workload certificate (SDS name `default`) fresh. It makes a new
// key and CSR, has the mesh CA sign it, renews at half-life with jitter, retries failures with back-off,
// and drops the certificate when it expires unrenewed so that mTLS fails closed instead of degrading.
import type { X509Certificate } from 'node:crypto';
import type { Logger } from '../admin/logger.ts';
import type { SignCsr } from './ca-client.ts';
import { parseCertificates, parsePrivateKey } from './pem.ts';
import { DEFAULT_ROTATION, renewDelayMs, retryDelayMs, type RotationPolicy } from './rotation-schedule.ts';
import { createWorkloadCsr } from './workload-csr.ts';

export interface WorkloadCertificate {
  /** Leaf then intermediates, as presented in handshakes. */
  readonly certificateChain: string;
  readonly privateKey: string;
  /** The root the CA returned last in its chain; undefined when the CA sent the leaf alone. */
  readonly root: string | undefined;
  readonly leaf: X509Certificate;
  readonly issuedAt: Date;
}

export interface CertificateAgentOptions {
  readonly sign: SignCsr;
  /** The SPIFFE ID claimed in the CSR, when the node names its namespace and service account. */
  readonly identity?: string;
  /** Requested lifetime; the CA may shorten it. */
  readonly validitySeconds: number;
  readonly logger: Logger;
  readonly policy?: Partial<RotationPolicy>;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** Node's timers overflow past 2^31-1 ms; longer waits are taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export class CertificateAgent {
  /** Resolves once the first certificate is in hand. */
  readonly firstCertificate: Promise<void>;
  readonly #options: CertificateAgentOptions;
  readonly #policy: RotationPolicy;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #listeners = new Set<() => void>();
  #current: WorkloadCertificate | undefined;
  #renewTimer: ReturnType<typeof setTimeout> | undefined;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #closed = false;
  #inFlight = false;
  #resolveFirst!: () => void;
  /** Counters for the admin API: issued certificates and failed attempts. */
  readonly counts = { issued: 0, failed: 0, expired: 0 };
  lastError: string | undefined;

  constructor(options: CertificateAgentOptions) {
    this.#options = options;
    this.#policy = { ...DEFAULT_ROTATION, ...options.policy };
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.firstCertificate = new Promise((resolve) => (this.#resolveFirst = resolve));
  }

  /** The certificate in force; undefined before the first issue and after an unrenewed expiry. */
  get current(): WorkloadCertificate | undefined {
    return this.#current;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    void this.#renew();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#renewTimer);
    clearTimeout(this.#expiryTimer);
  }

  async #renew(): Promise<void> {
    if (this.#closed || this.#inFlight) return;
    this.#inFlight = true;
    try {
      const issued = await this.#issue();
      if (this.#closed) return;
      this.#failures = 0;
      this.lastError = undefined;
      this.counts.issued++;
      this.#install(issued);
    } catch (error) {
      if (this.#closed) return;
      this.#failures++;
      this.counts.failed++;
      this.lastError = (error as Error).message;
      const current = this.#current;
      const untilExpiry = current ? Date.parse(current.leaf.validTo) - this.#now() : undefined;
      const delay = retryDelayMs(this.#failures, this.#random(), this.#policy, untilExpiry);
      this.#options.logger.warn(
        `workload certificate request failed (attempt ${this.#failures}, retry in ${Math.round(delay)} ms): ${this.lastError}`,
      );
      this.#schedule(delay);
    } finally {
      this.#inFlight = false;
    }
  }

  async #issue(): Promise<WorkloadCertificate> {
    const csr = await createWorkloadCsr(this.#options.identity);
    const chain = await this.#options.sign(csr.csrPem, this.#options.validitySeconds);
    return checkIssued(chain, csr.privateKeyPem, this.#now());
  }

  #install(issued: WorkloadCertificate): void {
    this.#current = issued;
    // The CA backdates notBefore for clock skew; counting that as lifetime would put the renewal of a short-lived
    // certificate in the past and renew it in a tight loop. Its life counts from when it is in hand.
    const notBefore = Math.max(Date.parse(issued.leaf.validFrom), this.#now());
    const notAfter = Date.parse(issued.leaf.validTo);
    const delay = renewDelayMs(notBefore, notAfter, this.#now(), this.#random(), this.#policy);
    this.#options.logger.info(
      `workload certificate ${issued.leaf.serialNumber} valid until ${issued.leaf.validTo}; renewing in ${Math.round(delay)} ms`,
    );
    this.#schedule(delay);
    clearTimeout(this.#expiryTimer);
    this.#expireAt(issued, notAfter);
    this.#notify();
    this.#resolveFirst();
  }

  #expireAt(issued: WorkloadCertificate, notAfter: number): void {
    const wait = notAfter - this.#now();
    if (wait > MAX_TIMER_MS) {
      this.#expiryTimer = setTimeout(() => this.#expireAt(issued, notAfter), MAX_TIMER_MS);
      return;
    }
    this.#expiryTimer = setTimeout(
      () => {
        if (this.#current !== issued) return;
        this.#current = undefined;
        this.counts.expired++;
        this.#options.logger.error(
          `workload certificate ${issued.leaf.serialNumber} expired without renewal: mTLS connections are refused until the CA answers`,
        );
        this.#notify();
      },
      Math.max(0, wait),
    );
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#renewTimer);
    if (this.#closed) return;
    this.#renewTimer = setTimeout(() => void this.#renew(), Math.min(delayMs, MAX_TIMER_MS));
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** The CA's answer checked before use: it parses, certifies our key, links up, and is valid now. */
function checkIssued(chain: readonly string[], privateKey: string, now: number): WorkloadCertificate {
  const parsed = parseCertificates(chain.join('\n'));
  if ('error' in parsed) throw new Error(`CA response: ${parsed.error}`);
  const key = parsePrivateKey(privateKey);
  if ('error' in key) throw new Error(`generated key: ${key.error}`);
  const [leaf] = parsed;
  if (!leaf) throw new Error('CA response: empty certificate chain');
  if (!leaf.checkPrivateKey(key))
    throw new Error('CA response: the certificate is not for the key in the CSR');
  for (let i = 0; i + 1 < parsed.length; i++) {
    const child = parsed[i] as X509Certificate;
    const parent = parsed[i + 1] as X509Certificate;
    if (!child.verify(parent.publicKey))
      throw new Error(`CA response: certificate #${i} is not signed by certificate #${i + 1}`);
  }
  if (Date.parse(leaf.validTo) <= now) throw new Error('CA response: the certificate has already expired');
  // The CA may send one string per certificate or the whole chain in one: work from the parsed blocks.
  const pems = parsed.map((certificate) => certificate.toString().trim());
  const withoutRoot = pems.length > 1 ? pems.slice(0, -1) : pems;
  return {
    certificateChain: `${withoutRoot.join('\n')}\n`,
    privateKey,
    root: pems.length > 1 ? `${pems.at(-1) as string}\n` : undefined,
    leaf,
    issuedAt: new Date(now),
  };
}
