// Reads the files of `heddle create secret`: `--cert/--key/--cacert`, or kubectl's `--from-file=<key>=<path>`
// with the keys Kubernetes TLS secrets and Istio use (tls.crt, tls.key, ca.crt; cert, key, cacert).
import { readFile } from 'node:fs/promises';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeFsError } from '../input/describe-fs-error.ts';
import { UsageError } from '../usage-error.ts';

export type SecretField = 'certificateChain' | 'privateKey' | 'caCertificate';

/** Secret keys as kubectl and Istio name them, and the field each fills. */
const KEY_FIELDS: Readonly<Record<string, SecretField>> = {
  'tls.crt': 'certificateChain',
  cert: 'certificateChain',
  'tls.key': 'privateKey',
  key: 'privateKey',
  'ca.crt': 'caCertificate',
  cacert: 'caCertificate',
};

export const SECRET_KEYS = Object.keys(KEY_FIELDS);

/** A file may be at most this large: certificates and keys are a few kilobytes. */
const MAX_FILE_BYTES = 1024 * 1024;

export type SecretFiles = Partial<Record<SecretField, string>>;

/** `--from-file` values, `key=path` (a bare path takes its file name as the key, as kubectl does). */
export function parseFromFiles(values: readonly string[]): SecretFiles {
  const files: SecretFiles = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    const key = equals < 0 ? (value.split('/').pop() ?? value) : value.slice(0, equals);
    const path = equals < 0 ? value : value.slice(equals + 1);
    const field = KEY_FIELDS[key];
    if (!field || path === '') {
      throw new UsageError(
        `--from-file ${JSON.stringify(value)}: the key must be one of ${SECRET_KEYS.join(', ')}`,
        "Example: '--from-file=ca.crt=client-ca.pem'.",
      );
    }
    if (files[field] !== undefined) {
      throw new UsageError(`--from-file gives ${key} (or its other name) twice`, 'Give each key once.');
    }
    files[field] = path;
  }
  return files;
}

/** The text of each file; a file that cannot be read ends the command with exit 65. */
export async function readSecretFiles(files: SecretFiles): Promise<Partial<Record<SecretField, string>>> {
  const texts: Partial<Record<SecretField, string>> = {};
  for (const [field, path] of Object.entries(files) as [SecretField, string][]) {
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch (error) {
      throw new CliError(`cannot read ${path}: ${describeFsError(error)}`, EXIT_CODES.UNREADABLE_INPUT);
    }
    if (content.byteLength > MAX_FILE_BYTES) {
      throw new CliError(
        `${path} is ${content.byteLength} bytes; a PEM certificate or key file is far smaller`,
        EXIT_CODES.UNREADABLE_INPUT,
      );
    }
    texts[field] = content.toString('utf8');
  }
  return texts;
}
