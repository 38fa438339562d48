// `POST /apis/v1/tokens`: a join token for a namespace and service account, for an agent to call the CA with.
import { isControlPlaneError, CONTROL_PLANE_CODES } from '../errors.ts';
import { isRecord } from '../store/resource-key.ts';
import type { ApiContext } from './api-context.ts';
import { requireCa } from './ca-routes.ts';
import { HttpError } from './http-error.ts';
import { readBody } from './read-body.ts';
import { sendJson } from './respond.ts';
import type { Route } from './router.ts';

export function tokenRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/apis/v1/tokens',
      handle: async ({ req, res }) => {
        const ca = requireCa(ctx);
        const body = await readBody(req, ctx.maxBodyBytes);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw invalid('the body is not valid JSON');
        }
        if (!isRecord(json))
          throw invalid('the body must be a JSON object {namespace, serviceAccount, ttlSeconds?}');
        const { namespace, serviceAccount, ttlSeconds } = json;
        if (typeof namespace !== 'string') throw invalid('namespace is required and must be a string');
        if (typeof serviceAccount !== 'string')
          throw invalid('serviceAccount is required and must be a string');
        if (ttlSeconds !== undefined && typeof ttlSeconds !== 'number')
          throw invalid('ttlSeconds must be a number');
        try {
          sendJson(res, 201, await ca.tokens.issue({ namespace, serviceAccount }, ttlSeconds));
        } catch (error) {
          if (isControlPlaneError(error, CONTROL_PLANE_CODES.CA_TOKEN_REQUEST_INVALID))
            throw invalid(error.message);
          throw error;
        }
      },
    },
  ];
}

function invalid(message: string): HttpError {
  return new HttpError(400, CONTROL_PLANE_CODES.CA_TOKEN_REQUEST_INVALID, message);
}
