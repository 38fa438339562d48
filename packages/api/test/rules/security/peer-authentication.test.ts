import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

/** A PeerAuthentication whose spec body starts on line 5. */
function peer(body: string, apiVersion = 'security.istio.io/v1'): string {
  return `apiVersion: ${apiVersion}
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec:
${body}`;
}

describe('PeerAuthentication', () => {
  it('accepts mesh- and namespace-wide modes', () => {
    expectClean(peer('  mtls:\n    mode: STRICT\n', 'security.istio.io/v1beta1'));
    expectClean(peer('  mtls: {mode: PERMISSIVE}\n'));
  });

  it('accepts port-level mTLS on selected workloads', () => {
    expectClean(
      peer(`  selector:
    matchLabels: {app: orders}
  mtls: {mode: STRICT}
  portLevelMtls:
    8080: {mode: DISABLE}
    "9090": {mode: PERMISSIVE}
`),
    );
  });

  it('rejects port-level mTLS without a selector', () => {
    expectFinding(peer('  mtls: {mode: STRICT}\n  portLevelMtls:\n    "8080": {mode: DISABLE}\n'), {
      code: 'HEDDLE_PEER_AUTHN_PORT_MTLS_NEEDS_SELECTOR',
      level: 'Error',
      field: 'spec.portLevelMtls',
      line: 6,
    });
  });

  it('rejects port-level mTLS whose selector has no labels', () => {
    expectFinding(peer('  selector:\n    matchLabels: {}\n  portLevelMtls:\n    "8080": {mode: DISABLE}\n'), {
      code: 'HEDDLE_PEER_AUTHN_PORT_MTLS_NEEDS_SELECTOR',
      field: 'spec.portLevelMtls',
      line: 7,
    });
  });

  it('rejects an empty portLevelMtls map', () => {
    expectFinding(peer('  selector:\n    matchLabels: {app: orders}\n  portLevelMtls: {}\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.portLevelMtls',
      line: 7,
    });
  });

  it('rejects port keys outside 1..65535', () => {
    const yaml = peer(`  selector:
    matchLabels: {app: orders}
  portLevelMtls:
    "0": {mode: DISABLE}
    "70000": {mode: DISABLE}
    "http": {mode: DISABLE}
`);
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.portLevelMtls["0"]', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.portLevelMtls["70000"]', line: 9 });
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.portLevelMtls.http', line: 10 });
  });

  it('rejects unknown modes', () => {
    expectFinding(peer('  mtls: {mode: STRICTEST}\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: 'spec.mtls.mode',
      line: 5,
      message: 'STRICT',
    });
  });

  it('rejects wildcards and empty keys in the selector, and warns about an empty one', () => {
    expectFinding(peer('  selector:\n    matchLabels:\n      app: "orders-*"\n'), {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.selector.matchLabels.app',
      line: 7,
    });
    expectFinding(peer('  selector:\n    matchLabels:\n      "": orders\n'), {
      code: 'HEDDLE_SELECTOR_INVALID',
      line: 7,
    });
    expectFinding(peer('  selector:\n    matchLabels: {}\n'), {
      code: 'HEDDLE_SELECTOR_EMPTY',
      level: 'Warning',
      field: 'spec.selector.matchLabels',
      line: 6,
    });
  });
});
