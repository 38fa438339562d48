// TLS a DestinationRule's clients use towards the upstream (ClientTLSSettings): mode and certificate sources.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isRecord, isSet, stringAt, type Obj } from '../value-checks.ts';

const CERTIFICATE_FIELDS = ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl', 'credentialName'];

function checkIgnoredFields(ctx: RuleContext, tls: Obj, mode: string, path: FieldPath): void {
  const ignored =
    mode === 'ISTIO_MUTUAL'
      ? CERTIFICATE_FIELDS.filter((key) => isSet(tls[key]))
      : [...CERTIFICATE_FIELDS, 'sni', 'subjectAltNames', 'insecureSkipVerify'].filter((key) =>
          isSet(tls[key]),
        );
  const first = ignored[0];
  if (first === undefined) return;
  const list = ignored.join(', ');
  ctx.warn(
    NETWORKING_CODES.DR_TLS_FIELDS_IGNORED,
    [...path, first],
    mode === 'ISTIO_MUTUAL'
      ? `ISTIO_MUTUAL uses the certificates the mesh issues to each workload, so ${list} ${ignored.length > 1 ? 'are' : 'is'} ignored; remove ${ignored.length > 1 ? 'them' : 'it'} or use mode MUTUAL`
      : `TLS is off (mode DISABLE${tls.mode === undefined ? ', the default' : ''}), so ${list} ${ignored.length > 1 ? 'are' : 'is'} ignored; set mode to SIMPLE or MUTUAL`,
  );
}

export function checkClientTls(ctx: RuleContext, tls: unknown, path: FieldPath): void {
  if (!isRecord(tls)) return;
  const mode = stringAt(tls, 'mode') ?? 'DISABLE';
  if (mode === 'ISTIO_MUTUAL' || mode === 'DISABLE') {
    checkIgnoredFields(ctx, tls, mode, path);
    return;
  }
  if (tls.insecureSkipVerify === true) {
    for (const key of ['caCertificates', 'subjectAltNames'] as const) {
      if (isSet(tls[key])) {
        ctx.error(
          COMMON_CODES.CONFLICTING_FIELDS,
          [...path, key],
          `insecureSkipVerify turns off checking the server certificate, so ${key} cannot be used with it; remove one of them`,
        );
      }
    }
  }
  if (isSet(tls.credentialName)) {
    const files = CERTIFICATE_FIELDS.filter((key) => key !== 'credentialName' && isSet(tls[key]));
    const first = files[0];
    if (first !== undefined) {
      ctx.error(
        COMMON_CODES.CONFLICTING_FIELDS,
        [...path, first],
        `credentialName already supplies the certificates from a secret; remove ${files.join(', ')} or credentialName`,
      );
    }
    return;
  }
  if (mode === 'MUTUAL') {
    for (const key of ['clientCertificate', 'privateKey'] as const) {
      if (!isSet(tls[key])) {
        ctx.error(
          NETWORKING_CODES.DR_TLS_CERTIFICATE_REQUIRED,
          [...path, key],
          `MUTUAL TLS presents a client certificate, so ${key} is required; set clientCertificate and privateKey, or credentialName`,
        );
      }
    }
  }
}
