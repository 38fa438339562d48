import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

const VALID = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: reviews
      version: v1
  template:
    metadata:
      labels:
        app: reviews
        version: v1
        sidecar.istio.io/inject: "true"
    spec:
      containers:
      - name: reviews
        image: shop/reviews:1
        ports:
        - name: http
          containerPort: 9080
`;

describe('Deployment', () => {
  it('accepts a workload with app and version labels and a matching selector', () => {
    expectClean(VALID);
  });

  it('rejects a selector that does not match the pod labels', () => {
    expectFinding(VALID.replace('      version: v1\n  template', '      version: v2\n  template'), {
      code: 'HEDDLE_DEPLOYMENT_SELECTOR_MISMATCH',
      field: 'spec.selector.matchLabels.version',
      line: 11,
      level: 'Error',
      message: 'version: v1',
    });
    expectFinding(
      VALID.replace('      app: reviews\n      version: v1\n  template', '      tier: web\n  template'),
      {
        code: 'HEDDLE_DEPLOYMENT_SELECTOR_MISMATCH',
        field: 'spec.selector.matchLabels.tier',
        line: 10,
        message: 'no label "tier"',
      },
    );
  });

  it('rejects a selector expression no pod satisfies', () => {
    const yaml = VALID.replace(
      '    matchLabels:\n      app: reviews\n      version: v1\n',
      '    matchExpressions:\n    - {key: version, operator: In, values: [v2, v3]}\n',
    );
    expectFinding(yaml, {
      code: 'HEDDLE_DEPLOYMENT_SELECTOR_MISMATCH',
      field: 'spec.selector.matchExpressions[0]',
      line: 10,
    });
  });

  it('requires a selector', () => {
    expectFinding(
      VALID.replace('  selector:\n    matchLabels:\n      app: reviews\n      version: v1\n', ''),
      {
        code: 'HEDDLE_REQUIRED_FIELD',
        field: 'spec.selector',
        line: 6,
      },
    );
  });

  it('notes pods without app or version labels (canonical service and revision)', () => {
    const yaml = VALID.replace('        version: v1\n        sidecar', '        sidecar').replace(
      '      version: v1\n  template',
      '  template',
    );
    expectFinding(yaml, {
      code: 'HEDDLE_DEPLOYMENT_CANONICAL_LABELS_MISSING',
      field: 'spec.template.metadata.labels',
      line: 13,
      level: 'Info',
      message: 'no version label',
    });
    expectNoFinding(VALID, 'HEDDLE_DEPLOYMENT_CANONICAL_LABELS_MISSING');
  });

  it('accepts the app.kubernetes.io labels as canonical labels', () => {
    const yaml = VALID.replaceAll('app: reviews', 'app.kubernetes.io/name: reviews').replaceAll(
      'version: v1',
      'app.kubernetes.io/version: v1',
    );
    expectNoFinding(yaml, 'HEDDLE_DEPLOYMENT_CANONICAL_LABELS_MISSING');
  });

  it('warns about an injection value other than "true" or "false"', () => {
    expectFinding(VALID.replace('inject: "true"', 'inject: enabled'), {
      code: 'HEDDLE_ANNOTATION_INVALID',
      field: 'spec.template.metadata.labels["sidecar.istio.io/inject"]',
      line: 17,
      level: 'Warning',
    });
    expectFinding(VALID.replace('inject: "true"', 'inject: true'), {
      code: 'HEDDLE_ANNOTATION_INVALID',
      message: 'quote it',
    });
  });

  it('warns when the injection annotation is on the Deployment instead of the pod', () => {
    const yaml = VALID.replace(
      '  namespace: shop\n',
      '  namespace: shop\n  annotations:\n    sidecar.istio.io/inject: "false"\n',
    );
    expectFinding(yaml, {
      code: 'HEDDLE_ANNOTATION_MISPLACED',
      field: 'metadata.annotations["sidecar.istio.io/inject"]',
      line: 7,
      level: 'Warning',
    });
  });

  it('warns about containers running as the proxy UID 1337 (IST0144)', () => {
    const yaml = VALID.replace(
      '        image: shop/reviews:1\n',
      '        image: shop/reviews:1\n        securityContext:\n          runAsUser: 1337\n',
    );
    expectFinding(yaml, {
      code: 'HEDDLE_DEPLOYMENT_PROXY_UID',
      field: 'spec.template.spec.containers[0].securityContext.runAsUser',
      line: 23,
      level: 'Warning',
    });
    const podLevel = VALID.replace(
      '    spec:\n      containers:',
      '    spec:\n      securityContext: {runAsUser: 1337}\n      containers:',
    );
    expectFinding(podLevel, {
      code: 'HEDDLE_DEPLOYMENT_PROXY_UID',
      field: 'spec.template.spec.securityContext.runAsUser',
    });
  });

  it('rejects invalid container ports', () => {
    expectFinding(VALID.replace('containerPort: 9080', 'containerPort: 99999'), {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.template.spec.containers[0].ports[0].containerPort',
      line: 24,
    });
    expectFinding(VALID.replace('- name: http\n', '- name: http-reviews-api-port\n'), {
      code: 'HEDDLE_NAME_INVALID',
      line: 23,
      message: '15 characters',
    });
  });

  it('requires containers with a name and an image', () => {
    expectFinding(VALID.replace('        image: shop/reviews:1\n', ''), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.template.spec.containers[0].image',
      line: 20,
    });
    expectFinding(VALID.replace(/ {6}containers:[\s\S]*$/, '      containers: []\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.template.spec.containers',
      line: 19,
    });
  });
});
