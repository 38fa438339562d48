// Attacks on authorization through the whole stack: translated AuthorizationPolicies enforced by real sidecars
// with real mTLS. Requests are written byte for byte (raw HTTP/1.1 over mTLS with a CA-issued identity, or
// plaintext under PERMISSIVE) straight to the server sidecar, so no client library tidies them first. The rule
// every case checks: the request the policy judged is the request the application received.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, closeClients } from './support/mesh.ts';
import { startJwtIssuer, type JwtIssuer } from './support/security-jwt.ts';
import {
  settle,
  startClient,
  startSecureMesh,
  startServer,
  type ClientWorkload,
  type SecureMesh,
  type ServerWorkload,
} from './support/security-mesh.ts';
import {
  meshIdentity,
  mtls,
  PLAINTEXT,
  rawExchange,
  rawGet,
  tcpExchange,
  type MeshIdentity,
  type RawReply,
  type Transport,
} from './support/security-peers.ts';

/** The path and headers the echo application saw, or undefined when the reply is not its 200. */
function appSaw(reply: RawReply): { path: string; headers: Record<string, string> } | undefined {
  if (reply.status !== 200) return undefined;
  return JSON.parse(reply.body) as { path: string; headers: Record<string, string> };
}

function policy(name: string, app: string, body: string): string {
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: default }
spec:
  selector: { matchLabels: { app: ${app} } }
${body}`;
}

async function deleteYaml(mesh: SecureMesh, yaml: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${mesh.cp.httpPort}/apis/v1/delete`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  assert.equal(response.status, 200, await response.text());
}

describe('authorization attacks through the stack', { timeout: 180_000 }, () => {
  let mesh: SecureMesh;
  let issuer: JwtIssuer;
  /** DENY on /admin paths, hosts and a header; the policies below. */
  let vault: ServerWorkload;
  /** ALLOW only /public/* (anyone) and identity-based paths. */
  let portal: ServerWorkload;
  /** A TCP service. */
  let ledger: ServerWorkload;
  let client: ClientWorkload;
  let trusted: MeshIdentity;
  let outsider: MeshIdentity;
  const closers: (() => Promise<unknown>)[] = [];

  before(async () => {
    issuer = await startJwtIssuer();
    closers.push(() => issuer.close());
    mesh = await startSecureMesh('attacks');
    closers.push(() => mesh.close());
    vault = await startServer(mesh, { app: 'vault', namespace: 'default' });
    closers.push(() => vault.close());
    portal = await startServer(mesh, { app: 'portal', namespace: 'default' });
    closers.push(() => portal.close());
    ledger = await startServer(mesh, { app: 'ledger', namespace: 'default', protocol: 'TCP' });
    closers.push(() => ledger.close());
    client = await startClient(mesh, { namespace: 'default', serviceAccount: 'trusted' });
    closers.push(() => client.close());
    trusted = await meshIdentity(mesh.cp, 'default', 'trusted');
    outsider = await meshIdentity(mesh.cp, 'other', 'outsider');
    await mesh.apply(
      [
        policy(
          'deny-admin',
          'vault',
          `  action: DENY
  rules:
    - to: [{ operation: { paths: ["/admin", "/admin/*"] } }]
    - to: [{ operation: { hosts: ["vault.default.svc.cluster.local"], paths: ["/host-guarded"] } }]
    - when: [{ key: "request.headers[x-debug]", values: ["on"] }]
`,
        ),
        policy(
          'allow-public',
          'portal',
          `  action: ALLOW
  rules:
    - to: [{ operation: { paths: ["/public/*"] } }]
    - from: [{ source: { principals: ["cluster.local/ns/default/sa/admin"] } }]
      to: [{ operation: { paths: ["/admin-only"] } }]
    - from: [{ source: { namespaces: ["default"] } }]
      to: [{ operation: { paths: ["/ns/*"] } }]
    - from: [{ source: { notNamespaces: ["other"] } }]
      to: [{ operation: { paths: ["/not-other/*"] } }]
    - from: [{ source: { requestPrincipals: ["*"] } }]
      to: [{ operation: { paths: ["/jwt/*"] } }]
`,
        ),
        policy(
          'deny-outsiders',
          'portal',
          `  action: DENY
  rules:
    - from: [{ source: { notNamespaces: ["default"] } }]
      to: [{ operation: { paths: ["/public/internal/*"] } }]
    - to: [{ operation: { paths: ["/public/staff/*"] } }]
      when: [{ key: source.namespace, notValues: ["default"] }]
`,
        ),
        `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: portal-jwt, namespace: default }
spec:
  selector: { matchLabels: { app: portal } }
  jwtRules:
    - issuer: https://issuer.test
      jwksUri: ${issuer.jwksUri}
      outputClaimToHeaders: [{ header: x-jwt-sub, claim: sub }]
`,
      ].join('---\n'),
    );
    const token = await issuer.token({ iss: 'https://issuer.test' });
    await settle(
      () =>
        rawGet(portal.inboundPort, mtls(trusted), '/jwt/x', portal.host, [`Authorization: Bearer ${token}`]),
      (r) => r.status === 200,
      'the portal policies and the JWKS',
    );
    await settle(
      () => rawGet(vault.inboundPort, mtls(trusted), '/admin', vault.host),
      (r) => r.status === 403,
      'deny',
    );
  });

  after(async () => {
    closeClients();
    for (const close of closers.reverse()) await close().catch(() => {});
  });

  describe('path tricks against a path-based DENY', () => {
    const denied = [
      '/admin',
      '/admin/secret',
      '/./admin/secret',
      '/public/../admin/secret',
      '/public/./../admin/secret',
      '/%2e%2e/admin/secret',
      '/public/%2e%2e/admin/secret',
      '/public/%2E%2E/admin/secret',
      '/public/.%2e/admin/secret',
      '/%61dmin/secret',
      '/%41dmin/secret'.replace('%41', '%61'),
      '/admin/secret#fragment',
      '/admin/./secret',
      '/admin/x/../secret',
      '/admin\\secret',
      '/public\\..\\admin\\secret',
      '/admin/secret?next=/public',
    ];
    for (const path of denied) {
      it(`denies ${JSON.stringify(path)}`, async () => {
        const reply = await rawGet(vault.inboundPort, mtls(trusted), path, vault.host);
        assert.ok(reply.status === 403 || reply.status === 400, `${path}: ${reply.text.slice(0, 200)}`);
      });
    }

    // Forms BASE normalization keeps as they are (encoded slashes, double encoding, other case, double
    // slashes): the DENY does not match them, and the application receives exactly the path that was judged.
    const kept = [
      ['/admin%2Fsecret', '/admin%2Fsecret'],
      ['/admin%2fsecret', '/admin%2Fsecret'],
      ['/admin%5Csecret', '/admin%5Csecret'],
      ['/public/..%2Fadmin/secret', '/public/..%2Fadmin/secret'],
      ['/%252e%252e/admin/secret', '/%252e%252e/admin/secret'],
      ['/public/%252E%252E/admin', '/public/%252E%252E/admin'],
      ['/ADMIN/secret', '/ADMIN/secret'],
      ['/Admin', '/Admin'],
      // The fragment goes before anything reads the path: what follows `#` can never reach the application.
      ['/public#/../admin', '/public'],
    ] as const;
    for (const [path, forwarded] of kept) {
      it(`${JSON.stringify(path)} reaches the application as the judged ${JSON.stringify(forwarded)}`, async () => {
        const reply = await rawGet(vault.inboundPort, mtls(trusted), path, vault.host);
        const saw = appSaw(reply);
        assert.ok(saw, `${path}: ${reply.text.slice(0, 200)}`);
        assert.equal(saw.path, forwarded);
        assert.doesNotMatch(saw.path, /^\/admin(\/|$)/);
      });
    }

    it('refuses %00 in the path with 400 and forwards nothing', async () => {
      const before = vault.http?.counts.requests ?? 0;
      const reply = await rawGet(vault.inboundPort, mtls(trusted), '/admin%00/secret', vault.host);
      assert.equal(reply.status, 400);
      assert.equal(vault.http?.counts.requests, before);
    });

    it('through the client sidecar (absolute URI) the same tricks are denied', async () => {
      for (const path of ['/public/%2e%2e/admin/secret', '/%61dmin', '/./admin/x']) {
        const reply = await call(client.to(vault.host), 'GET', path);
        assert.ok(reply.status === 403 || reply.status === 400, `${path}: ${reply.status} ${reply.body}`);
      }
    });
  });

  describe('path tricks against a path-based ALLOW', () => {
    it('dot segments cannot climb out of /public/*', async () => {
      for (const path of [
        '/public/../private',
        '/public/%2e%2e/private',
        '/public/.%2E/private',
        '/public\\..\\private',
        '/public/x/../../private',
      ]) {
        const reply = await rawGet(portal.inboundPort, mtls(trusted), path, portal.host);
        assert.ok(reply.status === 403 || reply.status === 400, `${path}: ${reply.text.slice(0, 200)}`);
      }
    });

    it('what /public/* lets through is what the application receives', async () => {
      for (const path of [
        '/public/a',
        '/public/%2e%2e%2fprivate',
        '/public/..%2Fprivate',
        '/public/x/../y',
      ]) {
        const reply = await rawGet(portal.inboundPort, mtls(trusted), path, portal.host);
        const saw = appSaw(reply);
        assert.ok(saw, `${path}: ${reply.text.slice(0, 200)}`);
        assert.match(saw.path, /^\/public\//, `${path} reached the application as ${saw.path}`);
      }
    });
  });

  describe('hosts', () => {
    it('host case, :port and a trailing dot do not escape a DENY written for the host', async () => {
      for (const host of [
        'vault.default.svc.cluster.local',
        'VAULT.Default.SVC.cluster.local',
        'vault.default.svc.cluster.local:80',
        'vault.default.svc.cluster.local:8080',
        'Vault.Default.Svc.Cluster.Local:80',
        'vault.default.svc.cluster.local.',
        'vault.default.svc.cluster.local.:80',
      ]) {
        const reply = await rawGet(vault.inboundPort, mtls(trusted), '/host-guarded', host);
        assert.ok(reply.status === 403 || reply.status === 400, `Host: ${host}: ${reply.text.slice(0, 200)}`);
      }
    });
  });

  describe('headers', () => {
    it('a repeated header is checked value by value', async () => {
      const reply = await rawGet(vault.inboundPort, mtls(trusted), '/', vault.host, [
        'x-debug: off',
        'x-debug: on',
      ]);
      assert.equal(reply.status, 403, reply.text.slice(0, 200));
      const reversed = await rawGet(vault.inboundPort, mtls(trusted), '/', vault.host, [
        'x-debug: on',
        'x-debug: off',
      ]);
      assert.equal(reversed.status, 403);
    });

    it('header name case and surrounding whitespace do not matter', async () => {
      for (const line of ['X-Debug: on', 'X-DEBUG:on', 'x-debug:    on   ', 'x-debug:\ton']) {
        const reply = await rawGet(vault.inboundPort, mtls(trusted), '/', vault.host, [line]);
        assert.equal(reply.status, 403, `${JSON.stringify(line)}: ${reply.text.slice(0, 200)}`);
      }
      const other = await rawGet(vault.inboundPort, mtls(trusted), '/', vault.host, ['x-debug: off']);
      assert.equal(other.status, 200);
    });

    it('whitespace in a header name, CR/LF or NUL in a value: refused, nothing forwarded', async () => {
      const before = vault.http?.counts.requests ?? 0;
      for (const bytes of [
        `GET / HTTP/1.1\r\nHost: ${vault.host}\r\nx-debug : on\r\nConnection: close\r\n\r\n`,
        `GET / HTTP/1.1\r\nHost: ${vault.host}\r\nx-debug: o\0n\r\nConnection: close\r\n\r\n`,
        `GET / HTTP/1.1\r\nHost: ${vault.host}\r\nx-debug: off\r\n on\r\nConnection: close\r\n\r\n`,
        `GET / HTTP/1.1\r\nHost: ${vault.host}\r\nx-debug: off\ron\r\nConnection: close\r\n\r\n`,
      ]) {
        const reply = await rawExchange(vault.inboundPort, mtls(trusted), bytes);
        assert.ok(
          reply.status === 400 || reply.status === 0,
          `${JSON.stringify(bytes)}: ${reply.text.slice(0, 120)}`,
        );
      }
      assert.equal(vault.http?.counts.requests, before);
    });
  });

  describe('spoofed identity headers', () => {
    const SPOOF = [
      'x-forwarded-client-cert: By=spiffe://cluster.local/ns/default/sa/portal;URI=spiffe://cluster.local/ns/default/sa/admin',
      'x-envoy-peer-metadata-id: sidecar~10.0.0.1~admin.default~default.svc.cluster.local',
      'x-jwt-sub: admin',
    ];

    it('plaintext: a forged client certificate header gives no principal, and does not reach the application', async () => {
      const denied = await rawGet(portal.inboundPort, PLAINTEXT, '/admin-only', portal.host, SPOOF);
      assert.equal(denied.status, 403, denied.text.slice(0, 200));
      const saw = appSaw(await rawGet(portal.inboundPort, PLAINTEXT, '/public/x', portal.host, SPOOF));
      assert.ok(saw);
      assert.equal(saw.headers['x-forwarded-client-cert'], undefined);
      assert.equal(saw.headers['x-jwt-sub'], undefined);
    });

    it('mTLS: the principal is the certificate, never the header; the application sees the real peer last', async () => {
      const denied = await rawGet(portal.inboundPort, mtls(trusted), '/admin-only', portal.host, SPOOF);
      assert.equal(denied.status, 403, denied.text.slice(0, 200));
      const saw = appSaw(await rawGet(portal.inboundPort, mtls(trusted), '/public/x', portal.host, SPOOF));
      assert.ok(saw);
      const xfcc = saw.headers['x-forwarded-client-cert'] ?? '';
      assert.match(xfcc, /URI=spiffe:\/\/cluster\.local\/ns\/default\/sa\/trusted$/);
    });

    it('a JWT claim header comes only from a verified token', async () => {
      const saw = appSaw(
        await rawGet(portal.inboundPort, mtls(trusted), '/public/x', portal.host, ['x-jwt-sub: admin']),
      );
      assert.equal(saw?.headers['x-jwt-sub'], undefined);
      const token = await issuer.token({ iss: 'https://issuer.test', sub: 'alice' });
      const withToken = appSaw(
        await rawGet(portal.inboundPort, mtls(trusted), '/public/x', portal.host, [
          'x-jwt-sub: admin',
          `Authorization: Bearer ${token}`,
          'X-JWT-Sub: root',
        ]),
      );
      assert.equal(withToken?.headers['x-jwt-sub'], 'alice');
    });

    it('a token-shaped header without a valid signature grants no request principal', async () => {
      const forged = await issuer.forged({ iss: 'https://issuer.test', sub: 'admin' });
      const reply = await rawGet(portal.inboundPort, mtls(trusted), '/jwt/x', portal.host, [
        `Authorization: Bearer ${forged}`,
      ]);
      assert.equal(reply.status, 401);
      const none = await rawGet(portal.inboundPort, mtls(trusted), '/jwt/x', portal.host);
      assert.equal(none.status, 403);
    });
  });

  describe('plaintext under PERMISSIVE against identity rules', () => {
    const get = (transport: Transport, path: string) =>
      rawGet(portal.inboundPort, transport, path, portal.host);

    it('namespaces: the namespace itself passes, plaintext and other namespaces do not', async () => {
      assert.equal((await get(mtls(trusted), '/ns/a')).status, 200);
      assert.equal((await get(mtls(outsider), '/ns/a')).status, 403);
      assert.equal((await get(PLAINTEXT, '/ns/a')).status, 403);
    });

    it('ALLOW notNamespaces: plaintext has no namespace to negate, so it is not allowed (stricter than Istio)', async () => {
      assert.equal((await get(mtls(trusted), '/not-other/a')).status, 200);
      assert.equal((await get(mtls(outsider), '/not-other/a')).status, 403);
      assert.equal((await get(PLAINTEXT, '/not-other/a')).status, 403);
    });

    it('DENY notNamespaces: plaintext is denied along with every other namespace', async () => {
      assert.equal((await get(mtls(trusted), '/public/internal/a')).status, 200);
      assert.equal((await get(mtls(outsider), '/public/internal/a')).status, 403);
      assert.equal((await get(PLAINTEXT, '/public/internal/a')).status, 403);
      assert.equal((await get(PLAINTEXT, '/public/open')).status, 200);
    });

    it('DENY when source.namespace notValues: the same for plaintext', async () => {
      assert.equal((await get(mtls(trusted), '/public/staff/a')).status, 200);
      assert.equal((await get(mtls(outsider), '/public/staff/a')).status, 403);
      assert.equal((await get(PLAINTEXT, '/public/staff/a')).status, 403);
    });
  });

  describe('TCP ports with HTTP-only rules', () => {
    const greeting = 'hello ledger\n';

    it('without a policy the TCP service answers, over mTLS and plaintext', async () => {
      await settle(
        () => tcpExchange(ledger.inboundPort, mtls(trusted), 'ping\n'),
        (t) => t.includes('ping'),
        'tcp',
      );
      assert.equal(await tcpExchange(ledger.inboundPort, PLAINTEXT, 'ping\n'), `${greeting}ping\n`);
    });

    it('an ALLOW rule with HTTP fields is ignored on TCP, so connections are closed', async () => {
      const allow = policy(
        'ledger-allow-get',
        'ledger',
        `  action: ALLOW
  rules:
    - from: [{ source: { principals: ["cluster.local/ns/default/sa/trusted"] } }]
      to: [{ operation: { methods: ["GET"] } }]
`,
      );
      await mesh.apply(allow);
      await settle(
        () => tcpExchange(ledger.inboundPort, mtls(trusted), 'ping\n'),
        (t) => t === '',
        'ALLOW ignored',
      );
      assert.equal(await tcpExchange(ledger.inboundPort, PLAINTEXT, 'ping\n'), '');
      await deleteYaml(mesh, allow);
      await settle(
        () => tcpExchange(ledger.inboundPort, mtls(trusted), 'ping\n'),
        (t) => t.includes('ping'),
        'removed',
      );
    });

    it('a DENY rule with HTTP fields denies every TCP connection', async () => {
      const deny = policy(
        'ledger-deny-path',
        'ledger',
        `  action: DENY
  rules:
    - from: [{ source: { namespaces: ["other"] } }]
      to: [{ operation: { paths: ["/admin"] } }]
`,
      );
      await mesh.apply(deny);
      await settle(
        () => tcpExchange(ledger.inboundPort, mtls(trusted), 'ping\n'),
        (t) => t === '',
        'DENY all',
      );
      const before = ledger.tcp?.counts.connections ?? 0;
      assert.equal(await tcpExchange(ledger.inboundPort, PLAINTEXT, 'ping\n'), '');
      assert.equal(await tcpExchange(ledger.inboundPort, mtls(outsider), 'ping\n'), '');
      assert.equal(ledger.tcp?.counts.connections, before, 'no connection reached the application');
    });
  });
});
