// What Heddle's security costs, measured through the whole stack: a control plane with its CA, one server
// sidecar (PERMISSIVE, so plaintext and mTLS reach the same inbound port) in front of a node:http echo
// application, and this process as the client (it holds a CA-issued mesh identity). Measured, each for a fixed
// time: new connections per second (mTLS handshake vs plaintext connect, one request per connection),
// keep-alive throughput (mTLS vs plaintext), the RBAC filter (an ALLOW policy of 20 rules whose last rule
// matches, vs no policy) and jwt_authn (one token reused, so its signature is cached, vs a fresh token per
// request, vs no token). Client and proxy share the machine: compare the rows, not the absolute numbers.
// Run: node bench/security-cost.ts [--seconds 4] [--concurrency 16]
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startJwtIssuer } from '../e2e/support/security-jwt.ts';
import { settle, startSecureMesh, startServer } from '../e2e/support/security-mesh.ts';
import { meshIdentity, mtls, rawGet, type MeshIdentity } from '../e2e/support/security-peers.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '16' },
  },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const ISSUER = 'https://issuer.bench';

function tlsOptions(identity: MeshIdentity): ConnectionOptions {
  return {
    key: identity.keyPem,
    cert: identity.chainPem,
    ca: identity.rootsPem,
    checkServerIdentity: () => undefined,
    ALPNProtocols: ['http/1.1'],
  };
}

/** Runs `once` from `workers` loops for `seconds`; returns completions per second and failures. */
async function forSeconds(
  seconds: number,
  workers: number,
  once: (i: number) => Promise<boolean>,
): Promise<{ perSecond: number; failed: number; done: number }> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        if (await once(next++)) done += 1;
        else failed += 1;
      }
    }),
  );
  return { perSecond: done / ((performance.now() - started) / 1000), failed, done };
}

/** One request on a new connection (`Connection: close`), plaintext or mTLS. */
function oneShot(port: number, host: string, identity: MeshIdentity | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = identity
      ? tlsConnect({ host: '127.0.0.1', port, ...tlsOptions(identity) })
      : netConnect(port, '127.0.0.1');
    let data = '';
    socket.on(identity ? 'secureConnect' : 'connect', () =>
      socket.write(`GET /bench HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(data.startsWith('HTTP/1.1 200')));
  });
}

function keepAliveAgent(identity: MeshIdentity | undefined): Agent {
  return new Agent({
    connections: CONCURRENCY,
    pipelining: 1,
    ...(identity ? { connect: tlsOptions(identity) } : {}),
  });
}

async function keepAlive(
  agent: Agent,
  url: string,
  host: string,
  headers: (i: number) => Record<string, string> = () => ({}),
  expect = 200,
) {
  return forSeconds(SECONDS, CONCURRENCY, async (i) => {
    const response = await request(url, { dispatcher: agent, headers: { host, ...headers(i) } });
    await response.body.dump();
    return response.statusCode === expect;
  });
}

function rbacPolicy(rules: number): string {
  // Nineteen rules that never match this client (other principals, methods, paths), then the one that does.
  const misses = Array.from(
    { length: rules - 1 },
    (_, i) => `    - from: [{ source: { principals: ["cluster.local/ns/team-${i}/sa/svc-${i}"] } }]
      to: [{ operation: { methods: ["GET", "POST"], paths: ["/team-${i}/*", "/api/v${i}/*"] } }]
      when: [{ key: "request.headers[x-team]", values: ["team-${i}"] }]`,
  );
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: twenty-rules, namespace: default }
spec:
  selector: { matchLabels: { app: echo } }
  action: ALLOW
  rules:
${misses.join('\n')}
    - from: [{ source: { principals: ["cluster.local/ns/default/sa/bench"] } }]
      to: [{ operation: { methods: ["GET"], paths: ["/bench*"] } }]
`;
}

function row(name: string, result: { perSecond: number; failed: number }, unit: string): string {
  const failed = result.failed > 0 ? ` (${result.failed} failed)` : '';
  return `| ${name} | ${result.perSecond.toFixed(0)} ${unit}${failed} | ${(1e6 / result.perSecond).toFixed(0)} µs |`;
}

async function main(): Promise<void> {
  const issuer = await startJwtIssuer();
  const mesh = await startSecureMesh('bench-security');
  const server = await startServer(mesh, { app: 'echo', namespace: 'default' });
  const identity = await meshIdentity(mesh.cp, 'default', 'bench');
  const port = server.inboundPort;
  const host = server.host;
  const plainAgent = keepAliveAgent(undefined);
  const tlsAgent = keepAliveAgent(identity);
  const plainUrl = `http://127.0.0.1:${port}/bench`;
  const tlsUrl = `https://127.0.0.1:${port}/bench`;
  const lines: string[] = [];
  try {
    await settle(
      () => rawGet(port, mtls(identity), '/bench', host),
      (r) => r.status === 200,
      'mTLS',
    );
    // Warm-up: JIT and connection pools.
    await forSeconds(1, CONCURRENCY, () => oneShot(port, host, undefined));
    await keepAlive(tlsAgent, tlsUrl, host);

    lines.push('| New connections (one request each) | rate | 1 / rate |', '| --- | --- | --- |');
    lines.push(
      row('plaintext', await forSeconds(SECONDS, 8, () => oneShot(port, host, undefined)), 'conn/s'),
    );
    lines.push(
      row('mTLS (ECDSA P-256)', await forSeconds(SECONDS, 8, () => oneShot(port, host, identity)), 'conn/s'),
    );

    lines.push('', '| Keep-alive, no policy | rate | 1 / rate |', '| --- | --- | --- |');
    const plain = await keepAlive(plainAgent, plainUrl, host);
    lines.push(row('plaintext', plain, 'req/s'));
    const secure = await keepAlive(tlsAgent, tlsUrl, host);
    lines.push(row('mTLS', secure, 'req/s'));

    await mesh.apply(rbacPolicy(20));
    await settle(
      () => rawGet(port, mtls(identity), '/other', host),
      (r) => r.status === 403,
      'the RBAC policy',
    );
    await keepAlive(tlsAgent, tlsUrl, host);
    const rbac = await keepAlive(tlsAgent, tlsUrl, host);
    lines.push('', '| Keep-alive mTLS, authorization | rate | 1 / rate |', '| --- | --- | --- |');
    lines.push(row('no policy', secure, 'req/s'));
    lines.push(row('ALLOW, 20 rules (last one matches)', rbac, 'req/s'));
    await fetch(`http://127.0.0.1:${mesh.cp.httpPort}/apis/v1/delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: rbacPolicy(20),
    });

    await mesh.apply(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: bench-jwt, namespace: default }
spec:
  selector: { matchLabels: { app: echo } }
  jwtRules:
    - issuer: ${ISSUER}
      jwksUri: ${issuer.jwksUri}
`);
    const cached = await issuer.token({ iss: ISSUER, sub: 'bench' });
    await settle(
      () => rawGet(port, mtls(identity), '/bench', host, [`Authorization: Bearer ${cached}`]),
      (r) => r.status === 200,
      'the JWKS',
    );
    // Tokens made ahead of time, one per request: each is new to the proxy, so its signature is verified.
    const fresh = await Promise.all(
      Array.from({ length: 6000 }, (_, i) => issuer.token({ iss: ISSUER, sub: `user-${i}` })),
    );
    const noToken = await keepAlive(tlsAgent, tlsUrl, host);
    const withCached = await keepAlive(tlsAgent, tlsUrl, host, () => ({ authorization: `Bearer ${cached}` }));
    const withFresh = await keepAlive(tlsAgent, tlsUrl, host, (i) => ({
      authorization: `Bearer ${fresh[i % fresh.length] ?? cached}`,
    }));
    lines.push(
      '',
      '| Keep-alive mTLS, RequestAuthentication (RS256) | rate | 1 / rate |',
      '| --- | --- | --- |',
    );
    lines.push(row('no token', noToken, 'req/s'));
    lines.push(row('same token every time (signature cached)', withCached, 'req/s'));
    lines.push(
      row(
        `a new token per request (verified; ${withFresh.done > fresh.length ? 'some reused' : 'none reused'})`,
        withFresh,
        'req/s',
      ),
    );
    console.log(lines.join('\n'));
  } finally {
    await plainAgent.close();
    await tlsAgent.close();
    await server.close();
    await mesh.close();
    await issuer.close();
  }
}

await main();
