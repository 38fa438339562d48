// The monitoring port's request handler: routes, then errors turned into JSON with a stable code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import type { ApiContext } from './api-context.ts';
import { collectorRoutes } from '../telemetry-collector/collector-routes.ts';
import { dashboardRoutes } from '../dashboard/dashboard-routes.ts';
import { createDashboardFiles, type DashboardFiles } from '../dashboard/static-files.ts';
import { caRoutes } from './ca-routes.ts';
import { configRoutes } from './config-routes.ts';
import { debugRoutes } from './debug-routes.ts';
import { guardMutation } from './guard-mutation.ts';
import { HttpError } from './http-error.ts';
import { sendError } from './respond.ts';
import { secretRoutes } from './secret-routes.ts';
import { matchRoute, type Route } from './router.ts';
import { tokenRoutes } from './token-routes.ts';
import { workloadRoutes } from './workload-routes.ts';

export function createApiHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Route[] = [
    ...debugRoutes(ctx),
    ...configRoutes(ctx),
    ...workloadRoutes(ctx),
    ...tokenRoutes(ctx),
    ...caRoutes(ctx),
    ...(ctx.traces ? collectorRoutes(ctx.traces, ctx.maxBodyBytes) : []),
    ...(ctx.secrets ? secretRoutes(ctx, ctx.secrets) : []),
    ...(ctx.dashboard ? dashboardRoutes(ctx, ctx.dashboard) : []),
  ];
  const files = ctx.dashboard?.dir !== undefined ? createDashboardFiles(ctx.dashboard.dir) : undefined;
  return (req, res) => {
    void handle(routes, ctx, req, res, files);
  };
}

async function handle(
  routes: readonly Route[],
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  files?: DashboardFiles,
) {
  try {
    const url = new URL(req.url ?? '/', 'http://control-plane');
    // The dashboard's files, under /dashboard/, before the API's exact-path routes.
    if (files && (await files(req, res, url))) return;
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (!match.route) {
      if (match.allowed.length > 0) {
        throw new HttpError(
          405,
          CONTROL_PLANE_CODES.HTTP_METHOD_NOT_ALLOWED,
          `${req.method} is not allowed here`,
          {
            allowed: match.allowed,
          },
        );
      }
      throw new HttpError(404, CONTROL_PLANE_CODES.HTTP_NOT_FOUND, `no endpoint at ${url.pathname}`);
    }
    guardMutation(req);
    await match.route.handle({ req, res, url, params: match.params });
  } catch (error) {
    respondWithError(ctx, req, res, error);
  }
}

function respondWithError(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    const headers: Record<string, string> = {};
    if (error.status === 405) headers.allow = (error.details.allowed as string[]).join(', ');
    // The rest of an oversized body is not read; close instead of draining it.
    if (error.status === 413) headers.connection = 'close';
    sendError(res, error.status, error.code, error.message, error.details, headers);
    return;
  }
  ctx.logger.error('HTTP API request failed', { method: req.method, url: req.url, error: String(error) });
  sendError(res, 500, CONTROL_PLANE_CODES.HTTP_INTERNAL, 'internal error; see the control-plane log');
}
