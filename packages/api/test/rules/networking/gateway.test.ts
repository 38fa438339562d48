import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

// The spec body starts on line 5.
const gateway = (body: string, name = 'public'): string =>
  `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: istio-system}
spec:
${body}`;

// One server whose `tls` block starts on line 10.
const tlsServer = (protocol: string, tls: string): string =>
  gateway(`  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: secure, protocol: ${protocol}}
    hosts: ["*.example.com"]
    tls:
${tls}`);

describe('Gateway: valid configurations', () => {
  it('accepts an HTTP server that redirects to HTTPS next to a SIMPLE server with credentialName', () => {
    expectClean(`# production ingress
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata:
  name: production-gateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*.example.com"
    tls:
      httpsRedirect: true
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "*.example.com"
    tls:
      mode: SIMPLE
      credentialName: example-com-cert
`);
  });

  it('accepts passthrough, ISTIO_MUTUAL, mutual TLS from files and namespaced hosts', () => {
    expectClean(
      gateway(`  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: passthrough, protocol: TLS}
    hosts: ["*/db.example.com", "./login.example.com"]
    tls: {mode: PASSTHROUGH}
  - port: {number: 15443, name: mesh, protocol: TLS}
    hosts: ["*.local"]
    tls: {mode: AUTO_PASSTHROUGH}
  - port: {number: 15012, name: istiod, protocol: TLS}
    hosts: [prod/istiod.example.com]
    tls: {mode: ISTIO_MUTUAL}
  - port: {number: 8443, name: mtls, protocol: HTTPS}
    hosts: ["*"]
    tls:
      mode: MUTUAL
      serverCertificate: /etc/certs/server.pem
      privateKey: /etc/certs/key.pem
      caCertificates: /etc/certs/ca.pem
      caCrl: /etc/certs/crl.pem
      minProtocolVersion: TLSV1_2
      maxProtocolVersion: TLSV1_3
      cipherSuites: [ECDHE-ECDSA-AES256-GCM-SHA384, "[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]"]
  - port: {number: 9443, name: optional, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: OPTIONAL_MUTUAL, credentialName: optional-cert}
  - port: {number: 0, name: local, protocol: http}
    bind: unix:///var/run/gateway.sock
    hosts: ["*"]
  - port: {number: 8080, name: internal, protocol: GRPC}
    bind: 10.0.0.1
    hosts: ["*"]
`),
    );
  });
});

describe('Gateway: name, selector and servers', () => {
  it('rejects a Gateway name with dots, which VirtualServices cannot reference', () => {
    expectFinding(
      gateway(
        `  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n`,
        'public.gw',
      ),
      {
        code: 'HEDDLE_NAME_INVALID',
        field: 'metadata.name',
        line: 3,
      },
    );
  });

  it('rejects wildcard selector labels', () => {
    expectFinding(
      gateway(
        `  selector: {istio: "ingress*"}\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n`,
      ),
      {
        code: 'HEDDLE_SELECTOR_INVALID',
        field: 'spec.selector.istio',
        line: 5,
      },
    );
  });

  it('rejects a Gateway without servers', () => {
    expectFinding(gateway(`  selector: {istio: ingressgateway}\n  servers: []\n`), {
      code: 'HEDDLE_GATEWAY_SERVERS_REQUIRED',
      field: 'spec.servers',
      line: 6,
    });
  });

  it('rejects a server without hosts and hosts of the wrong form', () => {
    const yaml = gateway(`  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: []
  - port: {number: 81, name: http2, protocol: HTTP}
    hosts:
    - Prod/a.example.com
    - /a.example.com
    - "a.*.example.com"
`);
    expectFinding(yaml, { code: 'HEDDLE_GATEWAY_HOSTS_REQUIRED', field: 'spec.servers[0].hosts', line: 7 });
    expectFinding(yaml, {
      code: 'HEDDLE_HOST_INVALID',
      field: 'spec.servers[1].hosts[0]',
      line: 10,
      message: '"Prod"',
    });
    expectFinding(yaml, { code: 'HEDDLE_HOST_INVALID', field: 'spec.servers[1].hosts[1]', line: 11 });
    expectFinding(yaml, { code: 'HEDDLE_HOST_INVALID', field: 'spec.servers[1].hosts[2]', line: 12 });
  });

  it('rejects unknown protocols, with a suggestion, and warns about UDP', () => {
    expectFinding(
      gateway(`  servers:\n  - port: {number: 80, name: web, protocol: HTPP}\n    hosts: ["*"]\n`),
      {
        code: 'HEDDLE_GATEWAY_PROTOCOL_INVALID',
        field: 'spec.servers[0].port.protocol',
        line: 6,
        message: '"HTTP"',
      },
    );
    expectFinding(
      gateway(`  servers:\n  - port: {number: 53, name: dns, protocol: UDP}\n    hosts: ["*"]\n`),
      {
        code: 'HEDDLE_GATEWAY_UDP_UNSUPPORTED',
        level: 'Warning',
        field: 'spec.servers[0].port.protocol',
        line: 6,
      },
    );
  });

  it('rejects port 0 (unless bound to a unix socket), targetPort and an empty port name', () => {
    const yaml = gateway(`  servers:
  - port:
      number: 0
      name: ""
      protocol: HTTP
      targetPort: 8080
    hosts: ["*"]
`);
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.servers[0].port.number', line: 7 });
    expectFinding(yaml, { code: 'HEDDLE_REQUIRED_FIELD', field: 'spec.servers[0].port.name', line: 8 });
    expectFinding(yaml, {
      code: 'HEDDLE_GATEWAY_TARGET_PORT',
      field: 'spec.servers[0].port.targetPort',
      line: 10,
    });
  });

  it('rejects port names used by two servers', () => {
    expectFinding(
      gateway(`  servers:
  - port: {number: 80, name: web, protocol: HTTP}
    hosts: [a.example.com]
  - port: {number: 8080, name: web, protocol: HTTP}
    hosts: [b.example.com]
`),
      { code: 'HEDDLE_DUPLICATE_ENTRY', field: 'spec.servers[1].port.name', line: 8 },
    );
  });

  it('rejects a bind that is neither an IP nor a unix socket, and a TCP port on a unix socket', () => {
    expectFinding(
      gateway(
        `  servers:\n  - port: {number: 80, name: web, protocol: HTTP}\n    bind: localhost\n    hosts: ["*"]\n`,
      ),
      {
        code: 'HEDDLE_GATEWAY_BIND_INVALID',
        field: 'spec.servers[0].bind',
        line: 7,
      },
    );
    const unix = gateway(`  servers:
  - port: {number: 80, name: web, protocol: HTTP}
    bind: unix://relative.sock
    hosts: ["*"]
`);
    expectFinding(unix, { code: 'HEDDLE_GATEWAY_BIND_INVALID', field: 'spec.servers[0].bind', line: 7 });
    expectFinding(unix, {
      code: 'HEDDLE_GATEWAY_BIND_INVALID',
      field: 'spec.servers[0].port.number',
      line: 6,
    });
  });
});

describe('Gateway: TLS settings', () => {
  it('rejects an HTTPS or TLS server without tls', () => {
    expectFinding(
      gateway(`  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ["*"]\n`),
      {
        code: 'HEDDLE_GATEWAY_TLS_REQUIRED',
        field: 'spec.servers[0].tls',
        line: 6,
      },
    );
  });

  it('rejects TLS settings other than httpsRedirect on a plain HTTP server', () => {
    expectFinding(
      gateway(`  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
    tls: {httpsRedirect: true, mode: SIMPLE, credentialName: cert}
`),
      { code: 'HEDDLE_GATEWAY_TLS_NOT_ALLOWED', field: 'spec.servers[0].tls', line: 8 },
    );
  });

  it('rejects TLS settings on a TCP server', () => {
    expectFinding(
      gateway(
        `  servers:\n  - port: {number: 3306, name: mysql, protocol: TCP}\n    hosts: ["*"]\n    tls: {mode: SIMPLE}\n`,
      ),
      { code: 'HEDDLE_GATEWAY_TLS_NOT_ALLOWED', field: 'spec.servers[0].tls', line: 8 },
    );
  });

  it('warns that httpsRedirect on a TLS server does nothing', () => {
    expectFinding(
      tlsServer('HTTPS', '      httpsRedirect: true\n      mode: SIMPLE\n      credentialName: cert\n'),
      {
        code: 'HEDDLE_GATEWAY_HTTPS_REDIRECT_IGNORED',
        level: 'Warning',
        field: 'spec.servers[0].tls.httpsRedirect',
        line: 10,
      },
    );
  });

  it('rejects SIMPLE TLS without a certificate, or with a certificate but no key', () => {
    expectFinding(tlsServer('HTTPS', '      mode: SIMPLE\n'), {
      code: 'HEDDLE_GATEWAY_CERTIFICATE_REQUIRED',
      field: 'spec.servers[0].tls',
      line: 9,
    });
    expectFinding(tlsServer('HTTPS', '      mode: SIMPLE\n      serverCertificate: /cert.pem\n'), {
      code: 'HEDDLE_GATEWAY_CERTIFICATE_REQUIRED',
      field: 'spec.servers[0].tls.privateKey',
      line: 9,
    });
    expectFinding(
      tlsServer(
        'HTTPS',
        '      mode: SIMPLE\n      tlsCertificates:\n      - {serverCertificate: /rsa.pem}\n',
      ),
      {
        code: 'HEDDLE_GATEWAY_CERTIFICATE_REQUIRED',
        field: 'spec.servers[0].tls.tlsCertificates[0].privateKey',
        line: 12,
      },
    );
  });

  it('rejects MUTUAL TLS from files without a CA bundle', () => {
    expectFinding(
      tlsServer(
        'HTTPS',
        '      mode: MUTUAL\n      serverCertificate: /cert.pem\n      privateKey: /key.pem\n',
      ),
      {
        code: 'HEDDLE_GATEWAY_CA_REQUIRED',
        field: 'spec.servers[0].tls.caCertificates',
        line: 9,
      },
    );
  });

  it('rejects more than one certificate source', () => {
    expectFinding(
      tlsServer(
        'HTTPS',
        '      mode: SIMPLE\n      credentialName: cert\n      credentialNames: [rsa, ecdsa]\n',
      ),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.servers[0].tls.credentialNames', line: 12 },
    );
  });

  it('rejects certificate fields with ISTIO_MUTUAL', () => {
    expectFinding(tlsServer('TLS', '      mode: ISTIO_MUTUAL\n      credentialName: cert\n'), {
      code: 'HEDDLE_GATEWAY_ISTIO_MUTUAL_CERTIFICATE',
      field: 'spec.servers[0].tls.credentialName',
      line: 11,
    });
  });

  it('warns that passthrough modes ignore certificates, including when mode is left at its default', () => {
    expectFinding(tlsServer('TLS', '      mode: AUTO_PASSTHROUGH\n      serverCertificate: /cert.pem\n'), {
      code: 'HEDDLE_GATEWAY_CERTIFICATES_IGNORED',
      level: 'Warning',
      field: 'spec.servers[0].tls.serverCertificate',
      line: 11,
    });
    expectFinding(tlsServer('HTTPS', '      credentialName: cert\n'), {
      code: 'HEDDLE_GATEWAY_CERTIFICATES_IGNORED',
      field: 'spec.servers[0].tls.credentialName',
      line: 10,
      message: 'default mode',
    });
  });

  it('rejects a CRL with credentialName or with SIMPLE TLS', () => {
    expectFinding(
      tlsServer('HTTPS', '      mode: MUTUAL\n      credentialName: cert\n      caCrl: /crl.pem\n'),
      {
        code: 'HEDDLE_GATEWAY_CRL_UNSUPPORTED',
        field: 'spec.servers[0].tls.caCrl',
        line: 12,
      },
    );
    expectFinding(
      tlsServer(
        'HTTPS',
        '      mode: SIMPLE\n      serverCertificate: /c.pem\n      privateKey: /k.pem\n      caCrl: /crl.pem\n',
      ),
      { code: 'HEDDLE_GATEWAY_CRL_UNSUPPORTED', field: 'spec.servers[0].tls.caCrl', line: 13 },
    );
  });

  it('warns about unknown and duplicate cipher suites', () => {
    const yaml = tlsServer(
      'HTTPS',
      '      mode: SIMPLE\n      credentialName: cert\n      cipherSuites: [TLS_AES_128_GCM_SHA256, AES128-SHA, AES128-SHA]\n',
    );
    expectFinding(yaml, {
      code: 'HEDDLE_GATEWAY_CIPHER_SUITE_INVALID',
      level: 'Warning',
      field: 'spec.servers[0].tls.cipherSuites[0]',
      line: 12,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DUPLICATE_ENTRY',
      level: 'Warning',
      field: 'spec.servers[0].tls.cipherSuites[2]',
      line: 12,
    });
  });

  it('rejects a minimum TLS version above the maximum', () => {
    const yaml = tlsServer(
      'HTTPS',
      '      mode: SIMPLE\n      credentialName: cert\n      minProtocolVersion: TLSV1_3\n      maxProtocolVersion: TLSV1_2\n',
    );
    expectFinding(yaml, {
      code: 'HEDDLE_CONFLICTING_FIELDS',
      field: 'spec.servers[0].tls.minProtocolVersion',
      line: 12,
    });
    expectNoFinding(
      tlsServer(
        'HTTPS',
        '      mode: SIMPLE\n      credentialName: cert\n      minProtocolVersion: TLSV1_2\n',
      ),
      'HEDDLE_CONFLICTING_FIELDS',
    );
  });
});
