import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding, findingsFor } from '../../helpers/findings.ts';

// The spec body starts on line 5.
const dr = (body: string): string =>
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
${body}`;

// A DestinationRule whose trafficPolicy body starts on line 7 (indented by four spaces).
const policy = (body: string): string => dr(`  host: reviews\n  trafficPolicy:\n${body}`);

describe('DestinationRule: valid configurations', () => {
  it('accepts subsets with their own policies and a full traffic policy', () => {
    expectClean(
      dr(`  host: reviews.shop.svc.cluster.local
  exportTo: ["."]
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
        connectTimeout: 3s
        idleTimeout: 1h
        maxConnectionDuration: 30m
        tcpKeepalive: {time: 7200s, interval: 75s, probes: 9}
      http: {http1MaxPendingRequests: 100, http2MaxRequests: 1000, maxRequestsPerConnection: 0, maxRetries: 3, idleTimeout: 90s, h2UpgradePolicy: UPGRADE}
    loadBalancer:
      simple: LEAST_REQUEST
      warmup: {duration: 60s, aggression: 1.5, minimumPercent: 10}
      localityLbSetting:
        enabled: true
        distribute:
        - from: us-west/zone1/*
          to: {"us-west/zone1/*": 80, "us-west/zone2/*": 20}
    outlierDetection:
      consecutive5xxErrors: 5
      consecutiveLocalOriginFailures: 3
      splitExternalLocalOriginErrors: true
      interval: 10s
      baseEjectionTime: 30s
      maxEjectionPercent: 50
      minHealthPercent: 30
    tls: {mode: ISTIO_MUTUAL, sni: reviews.shop.svc.cluster.local}
    portLevelSettings:
    - port: {number: 9080}
      loadBalancer:
        consistentHash:
          httpCookie: {name: session, ttl: 0s, path: /, attributes: [{name: SameSite, value: Strict}, {name: Secure}]}
          maglev: {tableSize: 65537}
    - port: {number: 9443}
      tls: {mode: SIMPLE, credentialName: reviews-client}
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      loadBalancer:
        consistentHash: {httpHeaderName: x-user, ringHash: {minimumRingSize: 1024}}
`),
    );
  });

  it('accepts mutual TLS from files, tunnels and failover', () => {
    expectClean(
      dr(`  host: "*.example.com"
  trafficPolicy:
    tls:
      mode: MUTUAL
      clientCertificate: /etc/certs/client.pem
      privateKey: /etc/certs/key.pem
      caCertificates: /etc/certs/ca.pem
      subjectAltNames: [api.example.com]
    tunnel: {protocol: POST, targetHost: proxy.example.com, targetPort: 3128}
    loadBalancer:
      localityLbSetting:
        failover: [{from: us-east, to: us-west}]
        failoverPriority: [topology.istio.io/network]
`),
    );
  });

  it('accepts a workloadSelector rule exported only to its own namespace', () => {
    expectClean(
      dr(`  host: reviews
  workloadSelector: {matchLabels: {app: ratings}}
  exportTo: [shop]
  trafficPolicy:
    tls: {mode: DISABLE}
`),
    );
  });
});

describe('DestinationRule: host, subsets, selector and exportTo', () => {
  it('rejects an empty or invalid host', () => {
    expectFinding(dr(`  host: ""\n`), { code: 'HEDDLE_HOST_INVALID', field: 'spec.host', line: 5 });
    expectFinding(dr(`  host: "reviews.*.svc"\n`), {
      code: 'HEDDLE_HOST_INVALID',
      field: 'spec.host',
      line: 5,
    });
  });

  it('rejects duplicate and invalid subset names and wildcard labels', () => {
    const yaml = dr(`  host: reviews
  subsets:
  - name: v1
  - name: v1
  - name: Canary_1
    labels: {version: "v*"}
`);
    expectFinding(yaml, { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.subsets[1].name', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_NAME_INVALID', field: 'spec.subsets[2].name', line: 9 });
    expectFinding(yaml, {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.subsets[2].labels.version',
      line: 10,
    });
  });

  it('rejects an empty subset traffic policy', () => {
    expectFinding(dr(`  host: reviews\n  subsets:\n  - name: v1\n    trafficPolicy: {}\n`), {
      code: 'HEDDLE_DESTINATIONRULE_TRAFFIC_POLICY_EMPTY',
      field: 'spec.subsets[0].trafficPolicy',
      line: 8,
    });
  });

  it('warns about a workloadSelector without labels', () => {
    expectFinding(
      dr(`  host: reviews\n  workloadSelector: {}\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n`),
      {
        code: 'HEDDLE_SELECTOR_EMPTY',
        level: 'Warning',
        field: 'spec.workloadSelector',
        line: 6,
      },
    );
  });

  it('rejects exporting a workloadSelector rule beyond its own namespace', () => {
    expectFinding(
      dr(`  host: reviews
  workloadSelector: {matchLabels: {app: ratings}}
  exportTo: [".", other]
`),
      { code: 'HEDDLE_DESTINATIONRULE_SELECTOR_EXPORT_TO', field: 'spec.exportTo', line: 7 },
    );
  });

  it('rejects invalid exportTo entries', () => {
    expectFinding(dr(`  host: reviews\n  exportTo: [".", shop]\n`), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      line: 6,
      message: 'own namespace "shop"',
    });
  });
});

describe('DestinationRule: traffic policy and port-level settings', () => {
  it('rejects an empty traffic policy', () => {
    expectFinding(dr(`  host: reviews\n  trafficPolicy: {}\n`), {
      code: 'HEDDLE_DESTINATIONRULE_TRAFFIC_POLICY_EMPTY',
      field: 'spec.trafficPolicy',
      line: 6,
    });
  });

  it('rejects port-level settings without a port or without any setting', () => {
    const yaml = policy(`    portLevelSettings:
    - tls: {mode: ISTIO_MUTUAL}
    - port: {number: 8080}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.trafficPolicy.portLevelSettings[0].port',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_TRAFFIC_POLICY_EMPTY',
      field: 'spec.trafficPolicy.portLevelSettings[1]',
      line: 9,
    });
  });

  it('rejects an invalid port and warns about a port configured twice', () => {
    const yaml = policy(`    portLevelSettings:
    - port: {number: 70000}
      tls: {mode: ISTIO_MUTUAL}
    - port: {number: 8080}
      tls: {mode: ISTIO_MUTUAL}
    - port: {number: 8080}
      tls: {mode: DISABLE}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.trafficPolicy.portLevelSettings[0].port.number',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DUPLICATE_ENTRY',
      level: 'Warning',
      field: 'spec.trafficPolicy.portLevelSettings[2].port.number',
      line: 12,
    });
  });

  it('rejects tunnel together with proxyProtocol', () => {
    expectFinding(
      policy(`    tunnel: {targetHost: proxy, targetPort: 3128}\n    proxyProtocol: {version: V2}\n`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.trafficPolicy.proxyProtocol', line: 8 },
    );
  });

  it('rejects tunnel settings with an unknown protocol, a wildcard host or port 0', () => {
    const yaml = policy(`    tunnel:
      protocol: GET
      targetHost: "*.example.com"
      targetPort: 0
`);
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_TUNNEL_INVALID',
      field: 'spec.trafficPolicy.tunnel.protocol',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HOST_INVALID',
      field: 'spec.trafficPolicy.tunnel.targetHost',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.trafficPolicy.tunnel.targetPort',
      line: 10,
    });
  });
});

describe('DestinationRule: connection pool', () => {
  it('rejects an empty connection pool', () => {
    expectFinding(policy(`    connectionPool: {}\n`), {
      code: 'HEDDLE_DESTINATIONRULE_CONNECTION_POOL_EMPTY',
      field: 'spec.trafficPolicy.connectionPool',
      line: 7,
    });
  });

  it('rejects negative limits', () => {
    const yaml = policy(`    connectionPool:
      tcp: {maxConnections: -1}
      http:
        http2MaxRequests: -5
`);
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_LIMIT_NEGATIVE',
      field: 'spec.trafficPolicy.connectionPool.tcp.maxConnections',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_LIMIT_NEGATIVE',
      field: 'spec.trafficPolicy.connectionPool.http.http2MaxRequests',
      line: 10,
    });
  });

  it('rejects h2UpgradePolicy UPGRADE together with useClientProtocol', () => {
    expectFinding(
      policy(`    connectionPool:
      http:
        h2UpgradePolicy: UPGRADE
        useClientProtocol: true
`),
      {
        code: 'HEDDLE_CONFLICTING_FIELDS',
        field: 'spec.trafficPolicy.connectionPool.http.useClientProtocol',
        line: 10,
      },
    );
  });

  it('rejects invalid timeouts', () => {
    const yaml = policy(`    connectionPool:
      tcp:
        connectTimeout: 5 seconds
        idleTimeout: 0s
        maxConnectionDuration: 1.5ms
      http: {idleTimeout: "30"}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.trafficPolicy.connectionPool.tcp.connectTimeout',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.trafficPolicy.connectionPool.tcp.idleTimeout',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration',
      line: 11,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.trafficPolicy.connectionPool.http.idleTimeout',
      line: 12,
    });
  });

  it('rejects keepalive times under a second and warns about fractions of a second', () => {
    const yaml = policy(`    connectionPool:
      tcp:
        tcpKeepalive:
          time: 500ms
          interval: 1500ms
`);
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_KEEPALIVE_INVALID',
      level: 'Error',
      field: 'spec.trafficPolicy.connectionPool.tcp.tcpKeepalive.time',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_KEEPALIVE_INVALID',
      level: 'Warning',
      field: 'spec.trafficPolicy.connectionPool.tcp.tcpKeepalive.interval',
      line: 11,
    });
  });

  it('notes that keepalive without time and interval uses the operating system defaults', () => {
    expectFinding(policy(`    connectionPool:\n      tcp:\n        tcpKeepalive: {probes: 3}\n`), {
      code: 'HEDDLE_DESTINATIONRULE_KEEPALIVE_DEFAULTS',
      level: 'Info',
      field: 'spec.trafficPolicy.connectionPool.tcp.tcpKeepalive',
      line: 9,
    });
  });
});

describe('DestinationRule: load balancer', () => {
  it('warns that LEAST_CONN is deprecated and names LEAST_REQUEST', () => {
    expectFinding(policy(`    loadBalancer: {simple: LEAST_CONN}\n`), {
      code: 'HEDDLE_DEPRECATED_VALUE',
      level: 'Warning',
      field: 'spec.trafficPolicy.loadBalancer.simple',
      line: 7,
      message: 'LEAST_REQUEST',
    });
  });

  it('warns about consistent hashing without a hash key', () => {
    expectFinding(policy(`    loadBalancer:\n      consistentHash: {ringHash: {minimumRingSize: 1024}}\n`), {
      code: 'HEDDLE_DESTINATIONRULE_HASH_KEY_MISSING',
      level: 'Warning',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash',
      line: 8,
    });
  });

  it('rejects a cookie without a name, duplicate cookie attributes and an invalid hash header', () => {
    const yaml = policy(`    loadBalancer:
      consistentHash:
        httpCookie:
          name: ""
          attributes: [{name: Secure}, {name: secure}]
`);
    expectFinding(yaml, {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DUPLICATE_ENTRY',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[1].name',
      line: 11,
    });
    expectFinding(policy(`    loadBalancer:\n      consistentHash: {httpHeaderName: "x user"}\n`), {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.httpHeaderName',
      line: 8,
    });
  });

  it('rejects the deprecated minimumRingSize next to ringHash, and warns about it only once', () => {
    const yaml = policy(`    loadBalancer:
      consistentHash:
        useSourceIp: true
        minimumRingSize: 1024
        ringHash: {minimumRingSize: 2048}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_CONFLICTING_FIELDS',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize',
      line: 10,
    });
    const deprecations = findingsFor(yaml).filter((f) => f.code === 'HEDDLE_DEPRECATED_FIELD');
    assert.equal(deprecations.length, 1);
  });

  it('rejects a maglev table size that is missing, too large or not prime', () => {
    const base = (maglev: string): string =>
      policy(
        `    loadBalancer:\n      consistentHash:\n        useSourceIp: true\n        maglev: ${maglev}\n`,
      );
    expectFinding(base('{}'), {
      code: 'HEDDLE_DESTINATIONRULE_MAGLEV_TABLE_SIZE_INVALID',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev',
      line: 10,
    });
    expectFinding(base('{tableSize: 5000011}'), {
      code: 'HEDDLE_DESTINATIONRULE_MAGLEV_TABLE_SIZE_INVALID',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize',
      line: 10,
    });
    expectFinding(base('{tableSize: 65536}'), {
      code: 'HEDDLE_DESTINATIONRULE_MAGLEV_TABLE_SIZE_INVALID',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize',
      message: '65537',
    });
  });

  it('rejects distribute together with failover', () => {
    expectFinding(
      policy(`    loadBalancer:
      localityLbSetting:
        distribute: [{from: us-east/*, to: {"us-east/*": 100}}]
        failover: [{from: us-east, to: us-west}]
`),
      {
        code: 'HEDDLE_CONFLICTING_FIELDS',
        field: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover',
        line: 10,
      },
    );
  });

  it('rejects locality weights out of range or not adding up to 100, and misplaced wildcards', () => {
    const yaml = policy(`    loadBalancer:
      localityLbSetting:
        distribute:
        - from: "us-*/zone1"
          to:
            "eu-west/*": 0
            "eu-east/*": 90
`);
    const at = 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0]';
    expectFinding(yaml, { code: 'HEDDLE_DESTINATIONRULE_LOCALITY_INVALID', field: `${at}.from`, line: 10 });
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_LOCALITY_INVALID',
      field: `${at}.to["eu-west/*"]`,
      line: 12,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_LOCALITY_INVALID',
      field: `${at}.to`,
      line: 11,
      message: 'add up to 90',
    });
  });

  it('rejects failover to the same region, to a zone, and with topology labels in failoverPriority', () => {
    const yaml = policy(`    loadBalancer:
      localityLbSetting:
        failover:
        - {from: us-east, to: us-east}
        - {from: us-east/zone1, to: us-west}
        failoverPriority: [topology.kubernetes.io/region]
`);
    const at = 'spec.trafficPolicy.loadBalancer.localityLbSetting';
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_LOCALITY_INVALID',
      field: `${at}.failover[0]`,
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_LOCALITY_INVALID',
      field: `${at}.failover[1]`,
      line: 11,
    });
    expectFinding(yaml, { code: 'HEDDLE_CONFLICTING_FIELDS', field: `${at}.failoverPriority[0]`, line: 12 });
  });

  it('rejects warmup with aggression 0 or an invalid duration, and warmup set twice', () => {
    const yaml = policy(`    loadBalancer:
      warmup:
        duration: 1m30
        aggression: 0
      warmupDurationSecs: 60s
`);
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.trafficPolicy.loadBalancer.warmup.duration',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_WARMUP_INVALID',
      field: 'spec.trafficPolicy.loadBalancer.warmup.aggression',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_CONFLICTING_FIELDS',
      field: 'spec.trafficPolicy.loadBalancer.warmupDurationSecs',
      line: 11,
    });
  });

  it('warns that warmup is ignored by algorithms other than ROUND_ROBIN and LEAST_REQUEST', () => {
    expectFinding(policy(`    loadBalancer:\n      simple: RANDOM\n      warmup: {duration: 30s}\n`), {
      code: 'HEDDLE_DESTINATIONRULE_WARMUP_IGNORED',
      level: 'Warning',
      field: 'spec.trafficPolicy.loadBalancer.warmup',
      line: 9,
    });
  });
});

describe('DestinationRule: outlier detection', () => {
  it('leaves the consecutiveErrors deprecation to the field layer (one warning only)', () => {
    const yaml = policy(`    outlierDetection:\n      consecutiveErrors: 5\n      interval: 30s\n`);
    const findings = findingsFor(yaml).filter(
      (f) => f.field === 'spec.trafficPolicy.outlierDetection.consecutiveErrors',
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.code, 'HEDDLE_DEPRECATED_FIELD');
  });

  it('rejects consecutiveLocalOriginFailures without splitExternalLocalOriginErrors', () => {
    expectFinding(policy(`    outlierDetection:\n      consecutiveLocalOriginFailures: 5\n`), {
      code: 'HEDDLE_DESTINATIONRULE_LOCAL_ORIGIN_NEEDS_SPLIT',
      field: 'spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures',
      line: 8,
    });
  });

  it('rejects percentages outside 0-100 and invalid durations', () => {
    const yaml = policy(`    outlierDetection:
      maxEjectionPercent: 150
      minHealthPercent: -1
      interval: "10"
      baseEjectionTime: 0.5ms
`);
    const at = 'spec.trafficPolicy.outlierDetection';
    expectFinding(yaml, { code: 'HEDDLE_PERCENT_INVALID', field: `${at}.maxEjectionPercent`, line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_PERCENT_INVALID', field: `${at}.minHealthPercent`, line: 9 });
    expectFinding(yaml, { code: 'HEDDLE_DURATION_INVALID', field: `${at}.interval`, line: 10 });
    expectFinding(yaml, { code: 'HEDDLE_DURATION_INVALID', field: `${at}.baseEjectionTime`, line: 11 });
  });
});

describe('DestinationRule: client TLS', () => {
  it('rejects certificate files next to credentialName', () => {
    expectFinding(
      policy(
        `    tls:\n      mode: SIMPLE\n      credentialName: client-cert\n      caCertificates: /ca.pem\n`,
      ),
      {
        code: 'HEDDLE_CONFLICTING_FIELDS',
        field: 'spec.trafficPolicy.tls.caCertificates',
        line: 10,
      },
    );
  });

  it('rejects MUTUAL without a client certificate and key', () => {
    const yaml = policy(`    tls:\n      mode: MUTUAL\n      privateKey: /key.pem\n`);
    expectFinding(yaml, {
      code: 'HEDDLE_DESTINATIONRULE_TLS_CERTIFICATE_REQUIRED',
      field: 'spec.trafficPolicy.tls.clientCertificate',
      line: 7,
    });
    expectNoFinding(yaml, 'HEDDLE_CONFLICTING_FIELDS');
  });

  it('rejects insecureSkipVerify together with subjectAltNames', () => {
    expectFinding(
      policy(
        `    tls:\n      mode: SIMPLE\n      insecureSkipVerify: true\n      subjectAltNames: [api.example.com]\n`,
      ),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.trafficPolicy.tls.subjectAltNames', line: 10 },
    );
  });

  it('warns that ISTIO_MUTUAL and DISABLE ignore certificate fields', () => {
    expectFinding(policy(`    tls:\n      mode: ISTIO_MUTUAL\n      clientCertificate: /cert.pem\n`), {
      code: 'HEDDLE_DESTINATIONRULE_TLS_FIELDS_IGNORED',
      level: 'Warning',
      field: 'spec.trafficPolicy.tls.clientCertificate',
      line: 9,
    });
    expectFinding(policy(`    tls:\n      credentialName: client-cert\n`), {
      code: 'HEDDLE_DESTINATIONRULE_TLS_FIELDS_IGNORED',
      level: 'Warning',
      field: 'spec.trafficPolicy.tls.credentialName',
      line: 8,
      message: 'the default',
    });
  });
});

describe('DestinationRule trafficPolicy with only misspelled keys', () => {
  it('reports the unknown field once, not also an empty policy', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r}
spec:
  host: r
  trafficPolicy:
    conectionPool: {}
`;
    expectFinding(yaml, { code: 'HEDDLE_UNKNOWN_FIELD', line: 7 });
    expectNoFinding(yaml, 'HEDDLE_DESTINATIONRULE_TRAFFIC_POLICY_EMPTY');
  });
});
