// One bounded HTTP(S) GET of a JWKS or OpenID discovery document: a time limit, a size limit, no
// redirects, and every address the host resolves to checked before connecting (the check happens in the
// socket's own lookup, so a DNS answer cannot change between check and connect).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddress, type JwksAddressPolicy } from './jwks-address-policy.ts';

export interface FetchLimits extends JwksAddressPolicy {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
}

function checkedLookup(policy: JwksAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const refused = addresses.map((a) => refusedAddress(a.address, policy)).find((r) => r !== undefined);
      if (refused) return callback(new JwksFetchError(`${hostname}: ${refused}`), '', 4);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new JwksFetchError(`${hostname} has no address`), '', 4);
      callback(null, first.address, first.family);
    });
  };
}

/** The body of a 200 answer as text; throws JwksFetchError for anything else. */
export function fetchText(url: string, limits: FetchLimits): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new JwksFetchError(`"${url}" is not a URL`));
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return Promise.reject(new JwksFetchError(`"${url}" is neither http nor https`));
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  // The lookup hook is skipped for IP literals, so those are checked here.
  if (isIP(host) !== 0) {
    const refused = refusedAddress(host, limits);
    if (refused) return Promise.reject(new JwksFetchError(refused));
  }
  const client = parsed.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, text?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(text ?? '');
    };
    const request = client.get(
      parsed,
      { lookup: checkedLookup(limits), timeout: limits.timeoutMs, headers: { accept: 'application/json' } },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          finish(new JwksFetchError(`${url} answered ${response.statusCode ?? 'nothing'}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes)
            finish(new JwksFetchError(`${url} sent more than ${limits.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => finish(undefined, Buffer.concat(chunks).toString('utf8')));
        response.on('error', (error) => finish(error));
      },
    );
    // Covers a slow body too: the whole exchange must finish in time.
    const deadline = setTimeout(
      () => finish(new JwksFetchError(`${url} did not answer within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    request.on('timeout', () => finish(new JwksFetchError(`${url} timed out`)));
    request.on('error', (error) => finish(error));
  });
}
