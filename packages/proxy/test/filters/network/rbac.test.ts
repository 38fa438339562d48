// Network RBAC on a TCP listener: an allowed connection reaches the upstream, a denied one is closed before
// a byte is forwarded; HTTP-only rules (paths) never match on TCP; stats as Envoy's `<stat_prefix>rbac.*`.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import {
  anyPermission,
  anyPrincipal,
  networkRbacFilter,
  pathPrefix,
  rules,
  type PrincipalInit,
} from '../support/rbac-config.ts';
import { startSecuredProxy, type SecuredProxy } from '../support/secured-proxy.ts';

/** Writes `hello` and collects what comes back until the connection closes (or 1.5 s pass). */
function exchange(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.end(), 1500);
    socket.on('connect', () => socket.write('hello'));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data === 'hello') socket.end();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

const peer = (addressPrefix: string, prefixLen: number): PrincipalInit => ({
  identifier: { case: 'directRemoteIp', value: { addressPrefix, prefixLen } },
});

describe('network RBAC', { timeout: 30_000 }, () => {
  const proxies: SecuredProxy[] = [];
  const start = async (config: Parameters<typeof networkRbacFilter>[0]) => {
    const proxy = await startSecuredProxy({ tcpFilters: [networkRbacFilter(config)] });
    proxies.push(proxy);
    return proxy;
  };

  after(async () => {
    for (const proxy of proxies) await proxy.close();
  });

  it('passes a connection an ALLOW policy matches', async () => {
    const proxy = await start({
      statPrefix: 'tcp.',
      rules: rules('ALLOW', {
        loopback: { permissions: [anyPermission], principals: [peer('127.0.0.1', 32)] },
      }),
    });
    assert.equal(await exchange(proxy.port), 'hello');
    assert.equal(await proxy.stat('tcp.rbac.allowed'), 1);
  });

  it('closes a connection no ALLOW policy matches, forwarding nothing', async () => {
    const proxy = await start({
      statPrefix: 'tcp.',
      rules: rules('ALLOW', {
        elsewhere: { permissions: [anyPermission], principals: [peer('10.0.0.0', 8)] },
      }),
    });
    assert.equal(await exchange(proxy.port), '');
    assert.equal(await proxy.stat('tcp.rbac.denied'), 1);
  });

  it('closes a connection a DENY policy matches (by destination port)', async () => {
    const proxy = await start({
      statPrefix: 'tcp',
      rules: rules('DENY', {
        ports: {
          permissions: [{ rule: { case: 'destinationPortRange', value: { start: 1, end: 65536 } } }],
          principals: [anyPrincipal],
        },
      }),
    });
    assert.equal(await exchange(proxy.port), '');
    assert.equal(await proxy.stat('tcp.rbac.denied'), 1);
  });

  it('never matches HTTP-only rules on TCP: an ALLOW on a path ends denied', async () => {
    const proxy = await start({
      statPrefix: 'tcp.',
      rules: rules('ALLOW', { 'http-only': { permissions: [pathPrefix('/')], principals: [anyPrincipal] } }),
    });
    assert.equal(await exchange(proxy.port), '');
  });

  it('counts shadow rules without enforcing them', async () => {
    const proxy = await start({
      statPrefix: 'tcp.',
      shadowRules: rules('DENY', { all: { permissions: [anyPermission], principals: [anyPrincipal] } }),
      shadowRulesStatPrefix: 'istio_dry_run_deny_',
    });
    assert.equal(await exchange(proxy.port), 'hello');
    assert.equal(await proxy.stat('tcp.rbac.istio_dry_run_deny_shadow_denied'), 1);
  });

  it('refuses a config without stat_prefix', async () => {
    await assert.rejects(start({ rules: rules('ALLOW', {}) }), /config refused: .*stat_prefix/);
  });
});
