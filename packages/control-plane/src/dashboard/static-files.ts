// Serves the built dashboard under /dashboard/: files from its folder, index.html for the app's own routes
// (paths without a file extension) so that client-side routing survives a reload, hashed assets cached for
// good and index.html revalidated. Every path segment is decoded and checked, and the resolved file must lie
// inside the folder (symbolic links included), so neither `..` nor its encodings leave it.
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DASHBOARD_PATH, DASHBOARD_NOT_BUILT } from './dashboard-paths.ts';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { HttpError } from '../http/http-error.ts';
import { contentTypeOf } from './content-types.ts';

/** Answers a request under /dashboard; false when the path is not the dashboard's. */
export type DashboardFiles = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Vite's build puts content-hashed names under assets/. */
const HASHED_FOLDER = 'assets';

export function createDashboardFiles(dir: string): DashboardFiles {
  const root = resolve(dir);
  return async (req, res, url) => {
    const { pathname } = url;
    if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(302, { location: DASHBOARD_PATH, 'content-length': 0 });
      res.end();
      return true;
    }
    if (pathname === DASHBOARD_PATH.slice(0, -1)) {
      res.writeHead(308, { location: `${DASHBOARD_PATH}${url.search}`, 'content-length': 0 });
      res.end();
      return true;
    }
    if (!pathname.startsWith(DASHBOARD_PATH)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(
        405,
        CONTROL_PLANE_CODES.HTTP_METHOD_NOT_ALLOWED,
        `${req.method} is not allowed here`,
        {
          allowed: ['GET'],
        },
      );
    const segments = pathname.slice(DASHBOARD_PATH.length).split('/').map(decodeSegment);
    const index = await fileAt(root, join(root, 'index.html'));
    if (!index) {
      sendPlain(res, 503, `${DASHBOARD_NOT_BUILT}\n`);
      return true;
    }
    const wanted = segments.filter((segment) => segment !== '');
    const file = wanted.length === 0 ? index : await fileAt(root, resolve(root, ...wanted));
    if (file) {
      await sendFile(
        req,
        res,
        file,
        wanted[0] === HASHED_FOLDER && wanted.length > 1 ? IMMUTABLE : 'no-cache',
      );
      return true;
    }
    // A missing file is a 404; a path without an extension is one of the app's routes.
    if (/\.[a-z0-9]+$/i.test(wanted.at(-1) ?? ''))
      throw new HttpError(404, CONTROL_PLANE_CODES.HTTP_NOT_FOUND, `no dashboard file at ${pathname}`);
    await sendFile(req, res, index, 'no-cache');
    return true;
  };
}

interface FoundFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The regular file at `path` when it is inside `root` once links are followed; undefined otherwise. */
async function fileAt(root: string, path: string): Promise<FoundFile | undefined> {
  if (!inside(root, path)) return undefined;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    if (!inside(realRoot, realFile)) return undefined;
    const info = await stat(realFile);
    return info.isFile() ? { path: realFile, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      CONTROL_PLANE_CODES.HTTP_BAD_REQUEST,
      `malformed percent-encoding in "${segment}"`,
    );
  }
  if (decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded))
    throw new HttpError(404, CONTROL_PLANE_CODES.HTTP_NOT_FOUND, `no dashboard file at "${segment}"`);
  return decoded;
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: FoundFile,
  cacheControl: string,
): Promise<void> {
  const etag = `"${file.size.toString(16)}-${Math.trunc(file.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    'content-type': contentTypeOf(file.path),
    'cache-control': cacheControl,
    etag,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (file.path.endsWith('.html')) headers['x-frame-options'] = 'DENY';
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = await readFile(file.path);
  res.writeHead(200, { ...headers, 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
