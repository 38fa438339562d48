// The bootstrap's `ca` section: defaults (the first control-plane address, 24 h certificates), and every
// problem named with its field path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BootstrapError } from '../../src/xds/bootstrap-error.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';

const base = {
  node: { id: 'sidecar~10.0.0.1~a.default~default.svc.cluster.local' },
  controlPlane: { addresses: ['cp:15012', 'cp2:15012'] },
};

function problems(input: unknown): string[] {
  try {
    parseBootstrap(input);
  } catch (error) {
    if (error instanceof BootstrapError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('bootstrap ca section', () => {
  it('is absent unless given: no workload certificate', () => {
    assert.equal(parseBootstrap(base).ca, undefined);
  });

  it('defaults to the first control-plane address and a 24 h lifetime', () => {
    assert.deepEqual(parseBootstrap({ ...base, ca: { tokenFile: '/var/run/heddle/token' } }).ca, {
      address: 'cp:15012',
      tokenFile: '/var/run/heddle/token',
      certificateTtlSeconds: 86_400,
    });
  });

  it('takes an address, an inline token, a root file for TLS and a lifetime', () => {
    assert.deepEqual(
      parseBootstrap({
        ...base,
        ca: { address: 'ca:15012', token: 't0k', rootCertFile: '/etc/heddle/root.pem', certificateTtl: '4s' },
      }).ca,
      { address: 'ca:15012', token: 't0k', rootCertFile: '/etc/heddle/root.pem', certificateTtlSeconds: 4 },
    );
  });

  it('names every problem', () => {
    assert.deepEqual(
      problems({
        ...base,
        ca: {
          address: 'nohost',
          token: 'a',
          tokenFile: '/t',
          rootCertFile: '',
          certificateTtl: '10ms',
          colour: 1,
        },
      }),
      [
        'ca.colour: unknown field (known: address, token, tokenFile, rootCertFile, certificateTtl)',
        'ca.address: must be "host:port" (IPv6 as "[addr]:port"), not "nohost"',
        'ca.rootCertFile: must not be empty',
        'ca: give token or tokenFile, not both',
        'ca.certificateTtl: must be at least 1s',
      ],
    );
    assert.deepEqual(problems({ ...base, ca: 'yes' }), ['ca: must be an object, not "yes"']);
  });
});
