// The trace collector on a port of its own (control-plane option `zipkinAddress`, e.g. `127.0.0.1:9411`),
// for proxies and tools that expect a Zipkin server at a fixed address.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { HttpError } from '../http/http-error.ts';
import { startHttpServer, type RunningHttpServer } from '../http/http-server.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../http/read-body.ts';
import { sendError } from '../http/respond.ts';
import { matchRoute } from '../http/router.ts';
import { collectorRoutes } from './collector-routes.ts';
import type { TraceStore } from './trace-store.ts';

export async function startZipkinServer(
  host: string,
  port: number,
  store: TraceStore,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<RunningHttpServer> {
  const routes = collectorRoutes(store, maxBodyBytes);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://zipkin');
      const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (!match.route)
        throw new HttpError(404, CONTROL_PLANE_CODES.HTTP_NOT_FOUND, `no endpoint at ${url.pathname}`);
      await match.route.handle({ req, res, url, params: match.params });
    } catch (error) {
      if (res.headersSent) res.destroy();
      else if (error instanceof HttpError)
        sendError(res, error.status, error.code, error.message, error.details);
      else sendError(res, 500, CONTROL_PLANE_CODES.HTTP_INTERNAL, 'internal error');
    }
  };
  return startHttpServer(host, port, (req, res) => void handle(req, res));
}
