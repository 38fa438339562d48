// Read-only debug endpoints, named as istiod's: /debug/syncz, /debug/config_dump, /debug/registryz,
// /debug/configz; plus /metrics and /ready.
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.ts';
import { proxyStatus } from '../status/proxy-status.ts';
import type { ApiContext } from './api-context.ts';
import { configDump } from './config-dump.ts';
import { findProxy } from './find-proxy.ts';
import { HttpError } from './http-error.ts';
import { sendJson, sendText } from './respond.ts';
import type { Route } from './router.ts';

export function debugRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/debug/syncz',
      handle: ({ res }) =>
        sendJson(
          res,
          200,
          ctx.streams().map((stream) => proxyStatus(stream.connection, ctx.instanceId)),
        ),
    },
    {
      method: 'GET',
      path: '/debug/config_dump',
      handle: ({ res, url }) => {
        const proxyId = url.searchParams.get('proxyID');
        if (!proxyId)
          throw new HttpError(
            400,
            CONTROL_PLANE_CODES.HTTP_BAD_REQUEST,
            'the proxyID query parameter is required',
          );
        const stream = findProxy(ctx.streams(), proxyId);
        if (!stream) {
          throw new HttpError(
            404,
            CONTROL_PLANE_CODES.PROXY_NOT_FOUND,
            `no proxy "${proxyId}" is connected`,
            {
              proxyID: proxyId,
            },
          );
        }
        sendJson(res, 200, configDump(stream.connection));
      },
    },
    {
      method: 'GET',
      path: '/debug/registryz',
      handle: ({ res }) => sendJson(res, 200, ctx.registry.services()),
    },
    {
      method: 'GET',
      path: '/debug/configz',
      handle: async ({ res }) => sendJson(res, 200, await ctx.store.list()),
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: ({ res }) => sendText(res, 200, ctx.metrics.expose(), EXPOSITION_CONTENT_TYPE),
    },
    {
      method: 'GET',
      path: '/ready',
      handle: ({ res }) => {
        if (!ctx.ready())
          throw new HttpError(
            503,
            CONTROL_PLANE_CODES.HTTP_NOT_READY,
            'the control plane is starting or stopping',
          );
        sendJson(res, 200, { status: 'ready', instance: ctx.instanceId });
      },
    },
  ];
}
