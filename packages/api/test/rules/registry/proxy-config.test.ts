import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

/** A ProxyConfig; the first line of `body` is line 5. */
function proxyConfig(body: string): string {
  return `apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata: {name: per-workload, namespace: shop}
spec:
${body}`;
}

describe('ProxyConfig', () => {
  it('accepts a selector, concurrency, environment variables and a published image type', () => {
    expectClean(
      proxyConfig(`  selector:
    matchLabels: {app: ratings}
  concurrency: 0
  environmentVariables: {HEDDLE_LOG_LEVEL: debug}
  image: {imageType: distroless}
`),
    );
  });

  it('rejects invalid selector labels and warns about an empty selector', () => {
    expectFinding(proxyConfig('  selector:\n    matchLabels: {app: "ra*"}\n'), {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.selector.matchLabels.app',
      line: 6,
    });
    expectFinding(proxyConfig('  selector: {}\n  concurrency: 2\n'), {
      code: 'HEDDLE_SELECTOR_EMPTY',
      field: 'spec.selector.matchLabels',
      line: 5,
      level: 'Warning',
    });
  });

  it('rejects a negative concurrency (schema)', () => {
    expectFinding(proxyConfig('  concurrency: -1\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.concurrency',
      line: 5,
    });
  });

  it('warns about an image type that is not published, suggesting the closest', () => {
    expectFinding(proxyConfig('  image:\n    imageType: distrolss\n'), {
      code: 'HEDDLE_PROXY_CONFIG_IMAGE_TYPE',
      field: 'spec.image.imageType',
      line: 6,
      level: 'Warning',
      message: '"distroless"',
    });
  });
});
