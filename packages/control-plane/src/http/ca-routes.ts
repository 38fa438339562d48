// The CA's API: the trust bundle (`GET /apis/v1/ca/roots`) and root rotation (`POST /apis/v1/ca/root-rotate`).
import { caStatus } from '../ca/ca-status.ts';
import type { MeshCa } from '../ca/mesh-ca.ts';
import { ROTATION_PHASES, type RotationPhase } from '../ca/root-ring.ts';
import { CONTROL_PLANE_CODES, isControlPlaneError } from '../errors.ts';
import { isRecord } from '../store/resource-key.ts';
import type { ApiContext } from './api-context.ts';
import { HttpError } from './http-error.ts';
import { readBody } from './read-body.ts';
import { sendJson } from './respond.ts';
import type { Route } from './router.ts';

export function caRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apis/v1/ca/roots',
      handle: ({ res }) => sendJson(res, 200, caStatus(requireCa(ctx).authority)),
    },
    {
      method: 'POST',
      path: '/apis/v1/ca/root-rotate',
      handle: async ({ req, res }) => {
        const ca = requireCa(ctx);
        const phase = parsePhase((await readBody(req, ctx.maxBodyBytes)).toString('utf8'));
        let done: RotationPhase;
        try {
          done = await ca.authority.rotate(phase);
        } catch (error) {
          if (
            isControlPlaneError(error, CONTROL_PLANE_CODES.CA_ROTATION_OUT_OF_ORDER) ||
            isControlPlaneError(error, CONTROL_PLANE_CODES.CA_ROTATION_UNSUPPORTED)
          ) {
            throw new HttpError(409, error.code, error.message, error.details);
          }
          throw error;
        }
        ctx.logger.info('CA root rotation', { phase: done });
        sendJson(res, 200, { phase: done, ...caStatus(ca.authority) });
      },
    },
  ];
}

/** The CA, or a 404 saying that this control plane runs without one. */
export function requireCa(ctx: ApiContext): MeshCa {
  if (ctx.ca) return ctx.ca;
  throw new HttpError(
    404,
    CONTROL_PLANE_CODES.CA_DISABLED,
    'this control plane runs without a certificate authority',
  );
}

/** `{}` or an empty body runs the next phase; `{"phase": "prepare" | "activate" | "finish"}` runs that one. */
function parsePhase(text: string): RotationPhase | undefined {
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badPhase('the body is not valid JSON');
  }
  if (!isRecord(json)) throw badPhase('the body must be a JSON object {"phase": …}');
  const phase = json.phase;
  if (phase === undefined) return undefined;
  if (typeof phase !== 'string' || !ROTATION_PHASES.includes(phase as RotationPhase)) {
    throw badPhase(`phase must be one of ${ROTATION_PHASES.join(', ')} (got ${JSON.stringify(phase)})`);
  }
  return phase as RotationPhase;
}

function badPhase(message: string): HttpError {
  return new HttpError(400, CONTROL_PLANE_CODES.HTTP_BAD_REQUEST, message);
}
