// STRICT_DNS and LOGICAL_DNS membership: the inline endpoints' names resolved now and every dns_refresh_rate
// (dns_failure_refresh_rate after a failure). STRICT_DNS makes one host per address; LOGICAL_DNS one host,
// the first address. A failed lookup keeps the last good addresses.
import { isIP } from 'node:net';
import type { DiscoveryConfig } from '../config/compiled-cluster.ts';
import type { EndpointSpec } from '../config/endpoint-spec.ts';
import type { DnsResolver } from './dns-resolver.ts';

export class DnsRefresher {
  readonly #config: DiscoveryConfig;
  readonly #specs: readonly EndpointSpec[];
  readonly #resolve: DnsResolver;
  readonly #onUpdate: (endpoints: EndpointSpec[]) => void;
  readonly #log: (message: string) => void;
  readonly #cluster: string;
  readonly #last = new Map<string, string[]>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    cluster: string,
    config: DiscoveryConfig,
    resolve: DnsResolver,
    onUpdate: (endpoints: EndpointSpec[]) => void,
    log: (message: string) => void,
  ) {
    this.#cluster = cluster;
    this.#config = config;
    this.#specs = config.endpoints ?? [];
    this.#resolve = resolve;
    this.#onUpdate = onUpdate;
    this.#log = log;
    this.#refresh();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #refresh(): void {
    const names = [
      ...new Set(this.#specs.filter((s) => !s.pipe && isIP(s.address) === 0).map((s) => s.address)),
    ];
    let failed = false;
    const lookups = names.map((name) =>
      this.#resolve(name, this.#config.dnsFamily).then(
        (addresses) => {
          if (addresses.length > 0) this.#last.set(name, addresses);
        },
        (err: Error) => {
          failed = true;
          this.#log(`cluster '${this.#cluster}': DNS resolution of ${name} failed: ${err.message}`);
        },
      ),
    );
    void Promise.all(lookups).then(() => {
      if (this.#closed) return;
      this.#onUpdate(this.#endpoints());
      this.#timer = setTimeout(
        () => this.#refresh(),
        failed ? this.#config.dnsFailureRefreshMs : this.#config.dnsRefreshMs,
      );
      this.#timer.unref();
    });
  }

  #endpoints(): EndpointSpec[] {
    const out: EndpointSpec[] = [];
    for (const spec of this.#specs) {
      if (spec.pipe || isIP(spec.address) !== 0) {
        out.push(spec);
        continue;
      }
      const addresses = this.#last.get(spec.address) ?? [];
      const chosen = this.#config.kind === 'LOGICAL_DNS' ? addresses.slice(0, 1) : addresses;
      for (const address of chosen) out.push({ ...spec, address, hostname: spec.hostname || spec.address });
    }
    return out;
  }
}
