// TLS settings of a Gateway server: which ports may carry them, and what each TLS mode needs.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isRecord, isSet, listAt, recordAt, stringAt, type Obj } from '../value-checks.ts';

/** Protocols that carry plain HTTP on a gateway port. */
export const PLAIN_HTTP_PROTOCOLS = ['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY'];
/** Protocols whose servers must say how TLS is handled. */
export const TLS_PROTOCOLS = ['HTTPS', 'TLS'];

// Cipher suites (TLS 1.2 and below) the proxy's TLS library accepts, in OpenSSL naming.
const CIPHER_SUITES = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-PSK-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-PSK-AES128-CBC-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-PSK-AES256-CBC-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA',
  'AES256-SHA',
  'PSK-AES128-CBC-SHA',
  'PSK-AES256-CBC-SHA',
  'DES-CBC3-SHA',
]);
const TLS_VERSIONS = ['TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'];
const CERTIFICATE_FIELDS = [
  'serverCertificate',
  'privateKey',
  'caCertificates',
  'caCertCredentialName',
  'credentialName',
  'credentialNames',
  'tlsCertificates',
];

function isCipherSuite(name: string): boolean {
  // BoringSSL also takes equal-preference groups: [A|B].
  const group = /^\[(.+)\]$/.exec(name);
  return group ? (group[1] ?? '').split('|').every((n) => CIPHER_SUITES.has(n)) : CIPHER_SUITES.has(name);
}

function checkCiphersAndVersions(ctx: RuleContext, tls: Obj, path: FieldPath): void {
  const seen = new Set<string>();
  listAt(tls, 'cipherSuites').forEach((suite, index) => {
    if (typeof suite !== 'string') return;
    const at = [...path, 'cipherSuites', index];
    if (!isCipherSuite(suite)) {
      ctx.warn(
        NETWORKING_CODES.GATEWAY_CIPHER_SUITE_INVALID,
        at,
        `"${suite}" is not a cipher suite the proxy knows, so it is ignored; use OpenSSL names such as ECDHE-RSA-AES128-GCM-SHA256`,
      );
    } else if (seen.has(suite)) {
      ctx.warn(COMMON_CODES.DUPLICATE_ENTRY, at, `"${suite}" is listed twice; remove the duplicate`);
    }
    seen.add(suite);
  });
  const min = TLS_VERSIONS.indexOf(stringAt(tls, 'minProtocolVersion') ?? '');
  const max = TLS_VERSIONS.indexOf(stringAt(tls, 'maxProtocolVersion') ?? '');
  if (min >= 0 && max >= 0 && min > max) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'minProtocolVersion'],
      'minProtocolVersion is newer than maxProtocolVersion, so no TLS version is allowed; lower the minimum or raise the maximum',
    );
  }
}

function checkIstioMutual(ctx: RuleContext, tls: Obj, path: FieldPath): void {
  for (const key of CERTIFICATE_FIELDS) {
    if (!isSet(tls[key])) continue;
    ctx.error(
      NETWORKING_CODES.GATEWAY_ISTIO_MUTUAL_CERTIFICATE,
      [...path, key],
      `ISTIO_MUTUAL uses the gateway's own mesh certificate, so ${key} cannot be set; remove it, or use mode MUTUAL to bring your own`,
    );
  }
}

function checkPassthrough(ctx: RuleContext, tls: Obj, mode: string, path: FieldPath): void {
  const ignored = [...CERTIFICATE_FIELDS, 'caCrl'].filter((key) => isSet(tls[key]));
  const first = ignored[0];
  if (first === undefined) return;
  const modeText = tls.mode === undefined ? `${mode} (the default mode)` : mode;
  ctx.warn(
    NETWORKING_CODES.GATEWAY_CERTIFICATES_IGNORED,
    [...path, first],
    `${modeText} hands TLS to the backend without terminating it, so ${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} ignored; set mode: SIMPLE to terminate TLS at the gateway`,
  );
}

function checkCertificateFiles(ctx: RuleContext, files: Obj, path: FieldPath, mode: string): void {
  for (const key of ['serverCertificate', 'privateKey'] as const) {
    if (!isSet(files[key])) {
      ctx.error(
        NETWORKING_CODES.GATEWAY_CERTIFICATE_REQUIRED,
        [...path, key],
        `${mode} TLS needs both serverCertificate and privateKey; ${key} is missing`,
      );
    }
  }
}

function checkTerminating(ctx: RuleContext, tls: Obj, mode: string, path: FieldPath): void {
  const usesFiles = isSet(tls.serverCertificate) || isSet(tls.privateKey);
  const usesCredential = isSet(tls.credentialName) || isSet(tls.credentialNames);
  const sources: Array<readonly [string, boolean]> = [
    ['serverCertificate', usesFiles],
    ['credentialName', isSet(tls.credentialName)],
    ['credentialNames', isSet(tls.credentialNames)],
    ['tlsCertificates', isSet(tls.tlsCertificates)],
  ];
  const used = sources.filter(([, set]) => set).map(([key]) => key);
  const second = used[1];
  if (second !== undefined) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, second],
      `use one source for the server certificate, not ${used.join(' and ')}`,
    );
  }
  if (used.length === 0) {
    ctx.error(
      NETWORKING_CODES.GATEWAY_CERTIFICATE_REQUIRED,
      path,
      `${mode} TLS needs a server certificate: set credentialName (a secret holding it), or serverCertificate and privateKey`,
    );
  }
  if (usesFiles) checkCertificateFiles(ctx, tls, path, mode);
  listAt(tls, 'tlsCertificates').forEach((entry, index) => {
    if (isRecord(entry)) checkCertificateFiles(ctx, entry, [...path, 'tlsCertificates', index], mode);
  });
  const mutual = mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  const hasCa =
    isSet(tls.caCertificates) ||
    isSet(tls.caCertCredentialName) ||
    listAt(tls, 'tlsCertificates').some((entry) => isRecord(entry) && isSet(entry.caCertificates));
  if (mutual && used.length > 0 && !usesCredential && !hasCa) {
    ctx.error(
      NETWORKING_CODES.GATEWAY_CA_REQUIRED,
      [...path, 'caCertificates'],
      `${mode} TLS checks client certificates, so it needs the CA bundle that signed them: set caCertificates (or use credentialName, whose secret can hold ca.crt)`,
    );
  }
  if (isSet(tls.caCrl)) {
    if (usesCredential) {
      ctx.error(
        NETWORKING_CODES.GATEWAY_CRL_UNSUPPORTED,
        [...path, 'caCrl'],
        'caCrl cannot be combined with credentialName; put the revocation list in the secret (ca.crl) instead',
      );
    } else if (mode === 'SIMPLE') {
      ctx.error(
        NETWORKING_CODES.GATEWAY_CRL_UNSUPPORTED,
        [...path, 'caCrl'],
        'SIMPLE TLS does not check client certificates, so a revocation list has no use; remove caCrl or use mode MUTUAL',
      );
    }
  }
}

/** Checks `server.tls` against the server's protocol (normalized upper case; undefined when unknown). */
export function checkServerTls(
  ctx: RuleContext,
  server: Obj,
  protocol: string | undefined,
  path: FieldPath,
): void {
  const tls = recordAt(server, 'tls');
  const at = [...path, 'tls'];
  const isTlsPort = protocol !== undefined && TLS_PROTOCOLS.includes(protocol);
  const isHttpPort = protocol !== undefined && PLAIN_HTTP_PROTOCOLS.includes(protocol);
  if (!tls) {
    if (isTlsPort) {
      ctx.error(
        NETWORKING_CODES.GATEWAY_TLS_REQUIRED,
        at,
        `${protocol === 'HTTPS' ? 'an' : 'a'} ${protocol} server must say how TLS is handled: add tls, e.g. mode: SIMPLE with credentialName`,
      );
    }
    return;
  }
  const redirectOnly = Object.keys(tls).every((key) => key === 'httpsRedirect');
  if (protocol !== undefined && !isTlsPort) {
    if (isHttpPort && redirectOnly) return;
    ctx.error(
      NETWORKING_CODES.GATEWAY_TLS_NOT_ALLOWED,
      at,
      isHttpPort
        ? `a plain ${protocol} server can only set tls.httpsRedirect; to serve TLS on this port use protocol HTTPS`
        : `protocol ${protocol} carries no TLS, so tls settings do not belong here; use protocol TLS or HTTPS to terminate or pass through TLS`,
    );
    return;
  }
  if (tls.httpsRedirect === true) {
    ctx.warn(
      NETWORKING_CODES.GATEWAY_HTTPS_REDIRECT_IGNORED,
      [...at, 'httpsRedirect'],
      'httpsRedirect only acts on plain HTTP servers; set it on the port 80 server and remove it here',
    );
  }
  if (redirectOnly) return;
  checkCiphersAndVersions(ctx, tls, at);
  const mode = stringAt(tls, 'mode') ?? 'PASSTHROUGH';
  if (mode === 'ISTIO_MUTUAL') checkIstioMutual(ctx, tls, at);
  else if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') checkPassthrough(ctx, tls, mode, at);
  else checkTerminating(ctx, tls, mode, at);
}
