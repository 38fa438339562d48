// The table of `heddle get secrets`: kubectl's NAME, TYPE, DATA and AGE, plus the hosts a certificate serves and
// when it expires, the two things a gateway operator checks.
import { formatTable, type TableRow } from '../output/format-table.ts';
import { humanAge } from '../output/human-age.ts';
import type { SecretSummary } from './secrets-api.ts';

/** Kubernetes' secret types: a certificate with its key is `kubernetes.io/tls`, a CA bundle alone `Opaque`. */
export function kubernetesType(secret: SecretSummary): string {
  return secret.type === 'tls' ? 'kubernetes.io/tls' : 'Opaque';
}

export function secretTable(secrets: readonly SecretSummary[], allNamespaces: boolean, now: Date): string {
  const header = ['NAME', 'TYPE', 'DATA', 'HOSTS', 'EXPIRES', 'AGE'];
  const rows = secrets.map((secret): TableRow => {
    const hosts = secret.certificate?.subjectAltNames.map((san) => san.replace(/^(DNS|IP Address):/, ''));
    const expiry = secret.certificate?.notAfter ?? secret.caCertificates?.[0]?.notAfter;
    const row = [
      secret.name,
      kubernetesType(secret),
      String(secret.keys.length),
      hosts && hosts.length > 0 ? hosts.join(',') : '-',
      expiry ? expiry.slice(0, 10) : '-',
      humanAge(secret.createdAt, now),
    ];
    return allNamespaces ? [secret.namespace, ...row] : row;
  });
  return formatTable(allNamespaces ? ['NAMESPACE', ...header] : header, rows);
}
