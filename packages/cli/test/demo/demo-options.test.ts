// `heddle demo`'s options, and what it applies: the example's YAML with only the jwksUri moved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleSources, platformSource, withJwksUri } from '../../src/demo/demo-config.ts';
import { parseDuration, parseRps } from '../../src/demo/demo-request.ts';
import { UsageError } from '../../src/usage-error.ts';
import { runCli } from '../helpers/run-cli.ts';

describe('heddle demo options', () => {
  it('reads durations as 30s, 2m, 1500ms or seconds', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1500ms'), 1_500);
    assert.equal(parseDuration('20'), 20_000);
    assert.throws(() => parseDuration('0s'), UsageError);
    assert.throws(() => parseDuration('2h'), UsageError);
    assert.throws(() => parseRps('0'), UsageError);
    assert.equal(parseRps('25'), 25);
  });

  it('answers a bad --duration or --rps with exit 64 and a hint, before starting anything', async () => {
    const duration = await runCli(['demo', '--duration', 'soon']);
    assert.equal(duration.code, 64);
    assert.match(duration.stderr, /^heddle: invalid duration 'soon' for --duration\n/);
    const rps = await runCli(['demo', '--rps', '1000']);
    assert.equal(rps.code, 64);
    assert.match(rps.stderr, /invalid rate '1000' for --rps/);
  });
});

describe('the config the demo applies', () => {
  it('is examples/ecommerce/*.yaml with the frontend jwksUri pointing at the local issuer', async () => {
    const uri = 'http://127.0.0.1:40000/.well-known/jwks.json';
    const sources = await exampleSources(uri);
    assert.equal(sources.length, 9);
    const jwt = sources.find((source) => source.name.endsWith('request-authentication.yaml'));
    assert.match(jwt?.text ?? '', new RegExp(`jwksUri: ${uri.replaceAll('.', '\\.')}\\n`));
    assert.match(jwt?.text ?? '', /issuer: https:\/\/auth\.example\.com\n/);
    assert.equal(withJwksUri('a: 1\n', uri), 'a: 1\n');
  });

  it("adds the collector as Istio's default Zipkin service on the control plane's port", () => {
    const { text } = platformSource(41234);
    assert.match(text, /hosts:\n\s+- zipkin\.istio-system\.svc\.cluster\.local/);
    assert.match(text, /http-zipkin: 41234/);
    assert.match(text, /randomSamplingPercentage: 100/);
  });
});
