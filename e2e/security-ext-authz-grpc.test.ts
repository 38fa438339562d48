// CUSTOM authorization with an envoyExtAuthzGrpc provider through the whole stack: meshConfig provider and a
// CUSTOM AuthorizationPolicy → control plane → the server's sidecar calls a real gRPC authorization service
// (grpc-js) for the requests the policy selects, with the caller's mTLS identity among the attributes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, closeClients } from './support/mesh.ts';
import {
  startGrpcExtAuthz,
  grpcExtAuthzProvider,
  type GrpcExtAuthzServer,
} from './support/security-ext-authz-grpc.ts';
import {
  settle,
  startClient,
  startSecureMesh,
  startServer,
  type ClientWorkload,
  type SecureMesh,
  type ServerWorkload,
} from './support/security-mesh.ts';

const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: check-api, namespace: shop }
spec:
  selector: { matchLabels: { app: orders } }
  action: CUSTOM
  provider: { name: opa-grpc }
  rules:
    - to: [{ operation: { paths: ["/api/*"] } }]
`;

describe('CUSTOM authorization with a gRPC provider', { timeout: 120_000 }, () => {
  let authz: GrpcExtAuthzServer | undefined;
  let mesh: SecureMesh | undefined;
  let orders: ServerWorkload | undefined;
  let client: ClientWorkload | undefined;

  before(async () => {
    authz = await startGrpcExtAuthz();
    mesh = await startSecureMesh('ext-authz-grpc');
    orders = await startServer(mesh, { app: 'orders', namespace: 'shop' });
    client = await startClient(mesh, { namespace: 'shop', serviceAccount: 'frontend' });
    await mesh.apply(grpcExtAuthzProvider('opa-grpc', authz.port));
    await mesh.apply(POLICY);
  });

  after(async () => {
    closeClients();
    await client?.close();
    await orders?.close();
    await mesh?.close();
    await authz?.close();
  });

  it('denies a selected request the service refuses, with its status and body', async () => {
    assert.ok(client && orders);
    const target = client.to(orders.host);
    const denied = await settle(
      () => call(target, 'GET', '/api/orders'),
      (reply) => reply.status === 403,
      'the CUSTOM policy to reach the sidecar',
    );
    assert.equal(denied.body, 'denied by the gRPC authorizer');
  });

  it("lets an allowed request on with the service's headers, and sends it the caller's identity", async () => {
    assert.ok(client && orders && authz);
    const reply = await call(client.to(orders.host), 'GET', '/api/orders?id=7', { 'x-ext-authz': 'allow' });
    assert.equal(reply.status, 200, reply.body);
    const seen = (JSON.parse(reply.body) as { headers: Record<string, string> }).headers;
    assert.equal(seen['x-authz-caller'], 'spiffe://cluster.local/ns/shop/sa/frontend');
    assert.equal(seen['x-ext-authz'], undefined, 'the service removed the header');
    const check = authz.checks.at(-1);
    assert.equal(check?.attributes?.request?.http?.path, '/api/orders?id=7');
    assert.equal(check?.attributes?.request?.http?.method, 'GET');
  });

  it('does not ask the service about requests no CUSTOM rule selects', async () => {
    assert.ok(client && orders && authz);
    const before = authz.checks.length;
    const reply = await call(client.to(orders.host), 'GET', '/health');
    assert.equal(reply.status, 200);
    assert.equal(authz.checks.length, before);
  });

  it('fails closed when the service is gone', async () => {
    assert.ok(client && orders && authz);
    await authz.close();
    const reply = await call(client.to(orders.host), 'GET', '/api/orders', { 'x-ext-authz': 'allow' });
    assert.equal(reply.status, 403);
  });
});
