// Pure pieces of the client verbs: table layout, kubectl's AGE, control plane URL, istioctl's descriptions.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { resolveControlPlaneUrl } from '../src/client/control-plane-url.ts';
import { watchStopSignals, type StopSignal } from '../src/control/stop-signals.ts';
import { formatTable } from '../src/output/format-table.ts';
import { humanAge } from '../src/output/human-age.ts';
import { describeChainMatch } from '../src/proxy-config/listener-rows.ts';
import { describeDomains } from '../src/proxy-config/route-rows.ts';
import { UsageError } from '../src/usage-error.ts';

describe('formatTable', () => {
  it('pads every column but the last, three spaces apart, with no trailing blanks', () => {
    assert.equal(
      formatTable(
        ['NAME', 'HOSTS', 'AGE'],
        [
          ['reviews', '', '5s'],
          ['ratings-v2', '["ratings"]', ''],
        ],
      ),
      'NAME         HOSTS         AGE\nreviews                    5s\nratings-v2   ["ratings"]\n',
    );
  });
});

describe('humanAge', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it('uses kubectl’s units', () => {
    assert.equal(humanAge(ago(0), now), '0s');
    assert.equal(humanAge(ago(119), now), '119s');
    assert.equal(humanAge(ago(3 * 60 + 12), now), '3m12s');
    assert.equal(humanAge(ago(45 * 60), now), '45m');
    assert.equal(humanAge(ago(5 * 3600 + 60), now), '5h1m');
    assert.equal(humanAge(ago(30 * 3600), now), '30h');
    assert.equal(humanAge(ago(3 * 86400 + 2 * 3600), now), '3d2h');
    assert.equal(humanAge(ago(40 * 86400), now), '40d');
    assert.equal(humanAge(ago(800 * 86400), now), '2y70d');
  });

  it('says <unknown> for a missing or unreadable time', () => {
    assert.equal(humanAge(undefined, now), '<unknown>');
    assert.equal(humanAge('yesterday', now), '<unknown>');
  });
});

describe('resolveControlPlaneUrl', () => {
  it('prefers the option, then HEDDLE_CONTROL_PLANE, then the local default', () => {
    const env = { HEDDLE_CONTROL_PLANE: 'http://cp.internal:15014/' };
    assert.equal(resolveControlPlaneUrl('127.0.0.1:9000', env), 'http://127.0.0.1:9000');
    assert.equal(resolveControlPlaneUrl(undefined, env), 'http://cp.internal:15014');
    assert.equal(resolveControlPlaneUrl(undefined, {}), 'http://127.0.0.1:15014');
    assert.equal(resolveControlPlaneUrl(undefined, { HEDDLE_CONTROL_PLANE: '' }), 'http://127.0.0.1:15014');
  });

  it('refuses what is not a plain http URL', () => {
    for (const bad of ['https://cp:15014', 'http://', 'http://cp:15014/?x=1', 'ftp://cp']) {
      assert.throws(() => resolveControlPlaneUrl(bad, {}), UsageError, bad);
    }
  });
});

describe('watchStopSignals', () => {
  it('resolves on the first signal, calls back on a repeat, and removes its listeners', async () => {
    const target = new EventEmitter();
    const repeats: StopSignal[] = [];
    const watch = watchStopSignals(target, (signal) => repeats.push(signal));
    assert.equal(watch.received(), false);
    target.emit('SIGTERM', 'SIGTERM');
    assert.equal(await watch.stopped, 'SIGTERM');
    target.emit('SIGINT', 'SIGINT');
    assert.deepEqual(repeats, ['SIGINT']);
    watch.dispose();
    assert.equal(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM'), 0);
  });
});

describe('istioctl’s descriptions', () => {
  it('describes filter chain matches', () => {
    assert.equal(describeChainMatch(undefined), 'ALL');
    assert.equal(describeChainMatch({ destinationPort: 15006 }), 'Addr: *:15006');
    assert.equal(
      describeChainMatch({
        transportProtocol: 'tls',
        applicationProtocols: ['istio-peer-exchange', 'istio'],
        prefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: 8 }],
        destinationPort: 9080,
      }),
      'Trans: tls; App: TCP TLS; Addr: 10.0.0.0/8:9080',
    );
    assert.equal(
      describeChainMatch({ serverNames: ['a.example.com'], applicationProtocols: ['h2'] }),
      'SNI: a.example.com; App: h2',
    );
  });

  it('describes route domains: shortest names without a port, then a count', () => {
    assert.equal(describeDomains(['*']), '*');
    assert.equal(
      describeDomains([
        'reviews.shop.svc.cluster.local',
        'reviews.shop.svc.cluster.local:9080',
        'reviews',
        'reviews:9080',
      ]),
      'reviews, reviews.shop.svc.cluster.local',
    );
    assert.equal(describeDomains(['a', 'b.c', 'd.e.f', '[fd00::1]:80', '[fd00::1]']), 'a, b.c + 2 more...');
  });
});
