// What the admin API shows of the proxy's secrets: Envoy's SecretsConfigDump (names, versions, update
// times, certificate chains, private keys always `[redacted]`) and `/certs` with serials, validity and SANs.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { anyPack, timestampFromDate, type Any } from '@bufbuild/protobuf/wkt';
import { SECRET_TYPE_URL, SecretSchema, type Secret } from '@heddle/xds';
import {
  CertificateDetailsSchema,
  CertificatesSchema,
  type SubjectAlternateNameSchema,
  type CertificateDetails,
  type Certificates,
} from '@heddle/xds/gen/envoy/admin/v3/certs_pb.ts';
import {
  SecretsConfigDumpSchema,
  type SecretsConfigDump,
} from '@heddle/xds/gen/envoy/admin/v3/config_dump_pb.ts';
import { ClientResourceStatus } from '@heddle/xds/gen/envoy/admin/v3/config_dump_shared_pb.ts';
import type { X509Certificate } from 'node:crypto';
import type { ConfigState } from '../config/config-state.ts';
import { jsonReply, type AdminEndpoint } from '../admin/admin-endpoint.ts';
import { envoyJson } from '../admin/envoy-json.ts';
import type { AdsSecrets } from './ads-secrets.ts';
import type { CertificateAgent } from './certificate-agent.ts';
import { ROOT_CA_SECRET, WORKLOAD_CERT_SECRET } from './mesh-secrets.ts';
import { parseCertificates, subjectAltNames } from './pem.ts';

export interface SecretsSource {
  readonly state: ConfigState;
  readonly ads: AdsSecrets;
  readonly agent: CertificateAgent | undefined;
  readonly now: () => number;
}

type SanInit = MessageInitShape<typeof SubjectAlternateNameSchema>;
const SAN_KINDS: Readonly<Record<string, 'uri' | 'dns' | 'ipAddress'>> = {
  URI: 'uri',
  DNS: 'dns',
  'IP Address': 'ipAddress',
};

const REDACTED = { specifier: { case: 'inlineString' as const, value: '[redacted]' } };

export function secretsConfigDump(source: SecretsSource): SecretsConfigDump {
  const accepted = source.state.get(SECRET_TYPE_URL);
  const dynamic = [...accepted.resources.values()].map((resource) => ({
    name: resource.name,
    versionInfo: resource.version,
    lastUpdated: timestampFromDate(resource.lastUpdated),
    secret: redact(resource.message as Secret),
    clientStatus: ClientResourceStatus.ACKED,
  }));
  const current = source.agent?.current;
  if (current) {
    dynamic.push({
      name: WORKLOAD_CERT_SECRET,
      versionInfo: current.leaf.serialNumber.toLowerCase(),
      lastUpdated: timestampFromDate(current.issuedAt),
      secret: redact(
        create(SecretSchema, {
          name: WORKLOAD_CERT_SECRET,
          type: {
            case: 'tlsCertificate',
            value: {
              certificateChain: { specifier: { case: 'inlineString', value: current.certificateChain } },
            },
          },
        }),
      ),
      clientStatus: ClientResourceStatus.ACKED,
    });
    if (current.root !== undefined && !accepted.resources.has(ROOT_CA_SECRET))
      dynamic.push({
        name: ROOT_CA_SECRET,
        versionInfo: current.leaf.serialNumber.toLowerCase(),
        lastUpdated: timestampFromDate(current.issuedAt),
        secret: rootSecret(current.root),
        clientStatus: ClientResourceStatus.ACKED,
      });
  }
  dynamic.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return create(SecretsConfigDumpSchema, { dynamicActiveSecrets: dynamic });
}

/** Envoy's `/certs`: one entry per secret in use, roots as ca_cert and certificate chains as cert_chain. */
export function certificates(source: SecretsSource): Certificates {
  const entries: { name: string; caCert: CertificateDetails[]; certChain: CertificateDetails[] }[] = [];
  const now = source.now();
  for (const name of source.ads.names()) {
    const secret = source.ads.get(name);
    if (!secret) continue;
    const details = secret.certificates.map((c) => certificateDetails(name, c, now));
    entries.push({
      name,
      caCert: secret.kind === 'validation' ? details : [],
      certChain: secret.kind === 'certificate' ? details : [],
    });
  }
  const current = source.agent?.current;
  if (current) {
    const chain = parseCertificates(current.certificateChain);
    entries.push({
      name: WORKLOAD_CERT_SECRET,
      caCert: [],
      certChain: 'error' in chain ? [] : chain.map((c) => certificateDetails(WORKLOAD_CERT_SECRET, c, now)),
    });
    const root = current.root !== undefined ? parseCertificates(current.root) : [];
    if (!source.ads.get(ROOT_CA_SECRET) && !('error' in root) && root.length > 0)
      entries.push({
        name: ROOT_CA_SECRET,
        caCert: root.map((c) => certificateDetails(ROOT_CA_SECRET, c, now)),
        certChain: [],
      });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return create(CertificatesSchema, {
    certificates: entries.map(({ caCert, certChain }) => ({ caCert, certChain })),
  });
}

export function certsEndpoint(source: SecretsSource): AdminEndpoint {
  return {
    path: '/certs',
    help: 'print certificate details of the SDS secrets in use',
    methods: ['GET'],
    handle: () => jsonReply(envoyJson(CertificatesSchema, certificates(source))),
  };
}

function certificateDetails(name: string, certificate: X509Certificate, now: number): CertificateDetails {
  const validFrom = new Date(certificate.validFrom);
  const expiration = new Date(certificate.validTo);
  return create(CertificateDetailsSchema, {
    path: `sds:${name}`,
    serialNumber: certificate.serialNumber.toLowerCase(),
    subjectAltNames: subjectAltNames(certificate).flatMap((san): SanInit[] => {
      const kind = SAN_KINDS[san.kind];
      return kind ? [{ name: { case: kind, value: san.value } }] : [];
    }),
    daysUntilExpiration: BigInt(Math.max(0, Math.floor((expiration.getTime() - now) / 86_400_000))),
    validFrom: timestampFromDate(validFrom),
    expirationTime: timestampFromDate(expiration),
  });
}

function redact(secret: Secret): Any {
  if (secret.type.case !== 'tlsCertificate') return anyPack(SecretSchema, secret);
  const certificate = secret.type.value;
  return anyPack(
    SecretSchema,
    create(SecretSchema, {
      name: secret.name,
      type: {
        case: 'tlsCertificate',
        value: {
          ...(certificate.certificateChain ? { certificateChain: certificate.certificateChain } : {}),
          privateKey: REDACTED,
        },
      },
    }),
  );
}

function rootSecret(root: string): Any {
  return anyPack(
    SecretSchema,
    create(SecretSchema, {
      name: ROOT_CA_SECRET,
      type: {
        case: 'validationContext',
        value: { trustedCa: { specifier: { case: 'inlineString', value: root } } },
      },
    }),
  );
}
