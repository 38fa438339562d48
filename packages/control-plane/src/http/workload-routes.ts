// Registering and deregistering running workloads (what `heddle run` does for the app it starts).
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { parseLeaseSeconds } from '../registry/registration-lease.ts';
import type { ApiContext } from './api-context.ts';
import { HttpError } from './http-error.ts';
import { parseRegistration } from './parse-registration.ts';
import { readBody } from './read-body.ts';
import { sendJson } from './respond.ts';
import type { Route } from './router.ts';
import { workloadJoinToken } from './workload-join-token.ts';

export function workloadRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apis/v1/workloads',
      handle: ({ res }) => sendJson(res, 200, ctx.registry.workloads()),
    },
    {
      method: 'POST',
      path: '/apis/v1/workloads',
      handle: async ({ req, res }) => {
        const body = await readBody(req, ctx.maxBodyBytes);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw new HttpError(400, CONTROL_PLANE_CODES.WORKLOAD_INVALID, 'the body is not valid JSON');
        }
        const registration = parseRegistration(json);
        // A registration lives as long as its lease unless the workload heartbeats (heddle run does).
        const leaseSeconds = parseLeaseSeconds((json as { leaseSeconds?: unknown }).leaseSeconds);
        if (typeof leaseSeconds === 'object')
          throw new HttpError(400, CONTROL_PLANE_CODES.WORKLOAD_INVALID, leaseSeconds.error);
        // The token first: a registration whose identity cannot get certificates is refused whole.
        const joinToken = await workloadJoinToken(ctx, registration);
        const handle = ctx.registry.register(registration, { leaseSeconds });
        ctx.workloads.set(handle.id, handle);
        sendJson(res, 201, { ...handle, ...joinToken });
      },
    },
    {
      method: 'PUT',
      path: '/apis/v1/workloads/:id/heartbeat',
      handle: ({ res, params }) => {
        const id = Number(params.id);
        const handle = Number.isInteger(id) ? ctx.workloads.get(id) : undefined;
        const lease = handle && ctx.registry.renew(handle);
        if (!lease) {
          // Expired, deregistered or replaced: the workload must register again.
          ctx.workloads.delete(id);
          throw new HttpError(
            404,
            CONTROL_PLANE_CODES.WORKLOAD_NOT_FOUND,
            `no live registration with id "${params.id}"; register the workload again`,
          );
        }
        sendJson(res, 200, { id, ...lease });
      },
    },
    {
      method: 'DELETE',
      path: '/apis/v1/workloads/:id',
      handle: ({ res, params }) => {
        const id = Number(params.id);
        const handle = Number.isInteger(id) ? ctx.workloads.get(id) : undefined;
        ctx.workloads.delete(id);
        // A stale handle (the name was registered again since) deregisters nothing.
        if (!handle || !ctx.registry.deregister(handle)) {
          throw new HttpError(
            404,
            CONTROL_PLANE_CODES.WORKLOAD_NOT_FOUND,
            `no registration with id "${params.id}"`,
          );
        }
        sendJson(res, 200, { deregistered: handle });
      },
    },
  ];
}
