// The resolver DNS clusters use: injectable for tests; by default the system's (getaddrinfo, so /etc/hosts
// applies), all addresses of the requested family.
import { lookup } from 'node:dns/promises';

/** `family`: 4, 6, or 0 for either. */
export type DnsResolver = (host: string, family?: 0 | 4 | 6) => Promise<string[]>;

export const systemResolver: DnsResolver = async (host, family = 0) => {
  const answers = await lookup(host, { all: true, family });
  return answers.map((a) => a.address);
};
