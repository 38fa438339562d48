// The config API the CLI uses: apply and delete Istio YAML, list, get and delete stored resources.
import type { TextSource } from '@heddle/api';
import { applyYaml } from '../config/apply-config.ts';
import { deleteByKey, deleteYaml } from '../config/delete-config.ts';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import type { ListFilter } from '../store/config-store.ts';
import { formatKey } from '../store/resource-key.ts';
import type { ApiContext } from './api-context.ts';
import { HttpError } from './http-error.ts';
import { readBody } from './read-body.ts';
import { sendJson } from './respond.ts';
import type { Route, RouteRequest } from './router.ts';

const RESOURCE_PATH = '/apis/v1/resources/:kind/:namespace/:name';

export function configRoutes(ctx: ApiContext): Route[] {
  const source = async ({ req, url }: RouteRequest): Promise<TextSource> => {
    const body = await readBody(req, ctx.maxBodyBytes);
    return { name: url.searchParams.get('file') ?? '<request>', text: body.toString('utf8') };
  };
  const namespaceOption = (url: URL) => {
    const namespace = url.searchParams.get('namespace');
    return namespace ? { namespace } : {};
  };
  return [
    {
      method: 'POST',
      path: '/apis/v1/apply',
      handle: async (request) => {
        const result = await applyYaml(ctx.store, [await source(request)], namespaceOption(request.url));
        if (result.code) throw refused('validation found errors; nothing was applied', result.findings);
        const { applied, unchanged, findings, revision } = result;
        sendJson(request.res, 200, { applied, unchanged, findings, revision });
      },
    },
    {
      method: 'POST',
      path: '/apis/v1/delete',
      handle: async (request) => {
        const result = await deleteYaml(ctx.store, [await source(request)], namespaceOption(request.url));
        if (result.code) throw refused('the input could not be parsed; nothing was deleted', result.findings);
        const { deleted, notFound, findings, revision } = result;
        sendJson(request.res, 200, { deleted, notFound, findings, revision });
      },
    },
    {
      method: 'GET',
      path: '/apis/v1/resources',
      handle: async ({ res, url }) => {
        const filter: ListFilter = {
          ...(url.searchParams.get('kind') ? { kind: url.searchParams.get('kind') as string } : {}),
          ...(url.searchParams.has('namespace')
            ? { namespace: url.searchParams.get('namespace') as string }
            : {}),
        };
        sendJson(res, 200, await ctx.store.list(filter));
      },
    },
    {
      method: 'GET',
      path: RESOURCE_PATH,
      handle: async ({ res, params }) => {
        const { kind = '', namespace = '', name = '' } = params;
        const resource = await ctx.store.get(kind, namespace, name);
        if (!resource) throw notFound({ kind, namespace, name });
        sendJson(res, 200, resource);
      },
    },
    {
      method: 'DELETE',
      path: RESOURCE_PATH,
      handle: async ({ res, params }) => {
        const key = { kind: params.kind ?? '', namespace: params.namespace ?? '', name: params.name ?? '' };
        const result = await deleteByKey(ctx.store, [key]);
        if (result.deleted.length === 0) throw notFound(key);
        sendJson(res, 200, result);
      },
    },
  ];
}

function refused(message: string, findings: unknown): HttpError {
  return new HttpError(422, CONTROL_PLANE_CODES.APPLY_REFUSED, message, { findings });
}

function notFound(key: { kind: string; namespace: string; name: string }): HttpError {
  return new HttpError(404, CONTROL_PLANE_CODES.RESOURCE_NOT_FOUND, `${formatKey(key)} does not exist`, {
    key,
  });
}
