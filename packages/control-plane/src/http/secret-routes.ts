// The local secret store's API: `POST /apis/v1/secrets` stores a TLS secret (`?overwrite=true` replaces one),
// `GET` lists them (never a private key), `GET`/`DELETE /apis/v1/secrets/<namespace>/<name>` read or remove one.
import { CONTROL_PLANE_CODES, isControlPlaneError } from '../errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { TlsSecretInput } from '../secrets/tls-secret.ts';
import { checkName } from '../secrets/validate-tls-secret.ts';
import { isRecord } from '../store/resource-key.ts';
import type { ApiContext } from './api-context.ts';
import { HttpError } from './http-error.ts';
import { readBody } from './read-body.ts';
import { sendJson } from './respond.ts';
import type { Route } from './router.ts';

/** Status per refusal: the caller's input (400), a name taken (409), a name unknown (404). */
const STATUS: Readonly<Record<string, number>> = {
  [CONTROL_PLANE_CODES.SECRET_INVALID]: 400,
  [CONTROL_PLANE_CODES.SECRET_PEM_INVALID]: 400,
  [CONTROL_PLANE_CODES.SECRET_KEY_MISMATCH]: 400,
  [CONTROL_PLANE_CODES.SECRET_CERT_EXPIRED]: 400,
  [CONTROL_PLANE_CODES.SECRET_NOT_A_CA]: 400,
  [CONTROL_PLANE_CODES.SECRET_EXISTS]: 409,
  [CONTROL_PLANE_CODES.SECRET_NOT_FOUND]: 404,
};

const FIELDS = ['namespace', 'name', 'certificateChain', 'privateKey', 'caCertificate'] as const;

export function secretRoutes(ctx: ApiContext, secrets: SecretStore): Route[] {
  return [
    {
      method: 'POST',
      path: '/apis/v1/secrets',
      handle: async ({ req, res, url }) => {
        const input = parseInput((await readBody(req, ctx.maxBodyBytes)).toString('utf8'));
        const result = await refusals(() =>
          secrets.put(input, { overwrite: url.searchParams.get('overwrite') === 'true' }),
        );
        ctx.logger.info(result.created ? 'secret created' : 'secret replaced', {
          namespace: result.secret.namespace,
          name: result.secret.name,
        });
        sendJson(res, result.created ? 201 : 200, result);
      },
    },
    {
      method: 'GET',
      path: '/apis/v1/secrets',
      handle: ({ res, url }) => {
        const namespace = url.searchParams.get('namespace') ?? undefined;
        sendJson(res, 200, { items: secrets.list(namespace) });
      },
    },
    {
      method: 'GET',
      path: '/apis/v1/secrets/:namespace/:name',
      handle: async ({ res, params }) => {
        const { namespace = '', name = '' } = params;
        const secret = await refusals(() => {
          checkName(namespace, name);
          return Promise.resolve(secrets.get(namespace, name));
        });
        if (!secret) {
          throw new HttpError(
            404,
            CONTROL_PLANE_CODES.SECRET_NOT_FOUND,
            `secret ${namespace}/${name} not found`,
            {
              namespace,
              name,
            },
          );
        }
        sendJson(res, 200, secret);
      },
    },
    {
      method: 'DELETE',
      path: '/apis/v1/secrets/:namespace/:name',
      handle: async ({ res, params }) => {
        const deleted = await refusals(() => secrets.delete(params.namespace ?? '', params.name ?? ''));
        ctx.logger.info('secret deleted', { namespace: deleted.namespace, name: deleted.name });
        sendJson(res, 200, { deleted });
      },
    },
  ];
}

/** Store errors become HTTP errors with the same code; anything else is an internal error. */
async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isControlPlaneError(error) && STATUS[error.code] !== undefined) {
      throw new HttpError(STATUS[error.code] as number, error.code, error.message, error.details);
    }
    throw error;
  }
}

/** `{name, namespace?, certificateChain?, privateKey?, caCertificate?}`, each a string. */
function parseInput(text: string): TlsSecretInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad('the body is not valid JSON');
  }
  if (!isRecord(json)) throw bad('the body must be a JSON object {"name": …, "certificateChain": …}');
  const unknown = Object.keys(json).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) throw bad(`unknown field(s) ${unknown.join(', ')}; known: ${FIELDS.join(', ')}`);
  for (const field of FIELDS) {
    if (json[field] !== undefined && typeof json[field] !== 'string') throw bad(`${field} must be a string`);
  }
  if (json.name === undefined) throw bad('name is required');
  return json as unknown as TlsSecretInput;
}

function bad(message: string): HttpError {
  return new HttpError(400, CONTROL_PLANE_CODES.SECRET_INVALID, message);
}
