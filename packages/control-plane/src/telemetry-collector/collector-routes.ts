// Zipkin's HTTP API over a TraceStore: `POST /api/v2/spans` (JSON), `GET /api/v2/traces?limit=&serviceName=`,
// `GET /api/v2/trace/<id>` and `GET /api/v2/services`, so Zipkin clients and the dashboard can use it.
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { HttpError } from '../http/http-error.ts';
import { readBody } from '../http/read-body.ts';
import { sendJson } from '../http/respond.ts';
import type { Route } from '../http/router.ts';
import type { TraceStore } from './trace-store.ts';
import { parseZipkinSpan, type ZipkinSpan } from './zipkin-span.ts';

/** Zipkin's own cap on `limit`. */
const MAX_LIMIT = 1000;

export function collectorRoutes(store: TraceStore, maxBodyBytes: number): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/v2/spans',
      handle: async ({ req, res }) => {
        const body = await readBody(req, maxBodyBytes);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          throw new HttpError(
            400,
            CONTROL_PLANE_CODES.HTTP_BAD_REQUEST,
            'the body is not JSON; send a JSON array of Zipkin v2 spans',
          );
        }
        if (!Array.isArray(parsed))
          throw new HttpError(
            400,
            CONTROL_PLANE_CODES.HTTP_BAD_REQUEST,
            'send a JSON array of Zipkin v2 spans',
          );
        const spans: ZipkinSpan[] = [];
        for (const [index, value] of parsed.entries()) {
          const span = parseZipkinSpan(value, index);
          if ('error' in span) throw new HttpError(400, CONTROL_PLANE_CODES.HTTP_BAD_REQUEST, span.error);
          spans.push(span);
        }
        store.add(spans);
        res.writeHead(202, { 'content-length': '0' });
        res.end();
      },
    },
    {
      method: 'GET',
      path: '/api/v2/traces',
      handle: ({ res, url }) => {
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 10 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
          throw new HttpError(
            400,
            CONTROL_PLANE_CODES.HTTP_BAD_REQUEST,
            `limit must be an integer from 1 to ${MAX_LIMIT}`,
          );
        const serviceName = url.searchParams.get('serviceName') ?? undefined;
        sendJson(res, 200, store.traces({ limit, ...(serviceName ? { serviceName } : {}) }));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/trace/:traceId',
      handle: ({ res, params }) => {
        const spans = store.trace(params.traceId ?? '');
        if (!spans)
          throw new HttpError(404, CONTROL_PLANE_CODES.HTTP_NOT_FOUND, `no trace ${params.traceId ?? ''}`);
        sendJson(res, 200, spans);
      },
    },
    {
      method: 'GET',
      path: '/api/v2/services',
      handle: ({ res }) => sendJson(res, 200, store.services()),
    },
  ];
}
