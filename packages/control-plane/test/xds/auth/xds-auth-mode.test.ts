// The xdsAuth option: its default follows the CA, and authentication cannot be asked for without the CA.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveXdsAuthMode, type XdsAuthMode } from '../../../src/xds/auth/xds-auth-mode.ts';

describe('resolveXdsAuthMode', () => {
  it('is required with the CA and off without it when not asked', () => {
    assert.equal(resolveXdsAuthMode(undefined, true), 'required');
    assert.equal(resolveXdsAuthMode(undefined, false), 'off');
  });

  it('keeps what was asked when the CA runs', () => {
    for (const mode of ['required', 'loopback-exempt', 'off'] as const)
      assert.equal(resolveXdsAuthMode(mode, true), mode);
  });

  it('accepts off without the CA and refuses the others with HEDDLE_CA_DISABLED', () => {
    assert.equal(resolveXdsAuthMode('off', false), 'off');
    assert.throws(() => resolveXdsAuthMode('required', false), { code: 'HEDDLE_CA_DISABLED' });
    assert.throws(() => resolveXdsAuthMode('loopback-exempt', false), { code: 'HEDDLE_CA_DISABLED' });
  });

  it('refuses an unknown mode with HEDDLE_XDS_AUTH_INVALID', () => {
    assert.throws(
      () => resolveXdsAuthMode('sometimes' as XdsAuthMode, true),
      /^Error: HEDDLE_XDS_AUTH_INVALID: /,
    );
  });
});
