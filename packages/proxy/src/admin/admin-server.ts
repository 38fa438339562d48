// A small node:http server for admin-style endpoints (the admin API, the health port): exact paths, method
// checks, and POSTs refused from other origins, so that a web page cannot drive the admin API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';
import { textReply, type AdminEndpoint, type AdminMethod, type AdminResponse } from './admin-endpoint.ts';

export interface AdminServerOptions {
  readonly address: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly endpoints: readonly AdminEndpoint[];
  readonly logger: Logger;
  /** Lists the endpoints at `/` (the admin API does, the health port does not). */
  readonly helpPage?: boolean;
}

export class AdminServer {
  readonly #server: Server;
  readonly #endpoints: ReadonlyMap<string, AdminEndpoint>;
  readonly #options: AdminServerOptions;

  private constructor(options: AdminServerOptions) {
    this.#options = options;
    this.#endpoints = new Map(options.endpoints.map((endpoint) => [endpoint.path, endpoint]));
    this.#server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (request, response) => {
      this.#dispatch(request, response).catch((error: unknown) => {
        options.logger.error(`admin ${request.url ?? ''} failed: ${String(error)}`);
        if (!response.headersSent) send(response, textReply('internal error', 500), false);
        else response.destroy();
      });
    });
  }

  static async listen(options: AdminServerOptions): Promise<AdminServer> {
    const admin = new AdminServer(options);
    await new Promise<void>((resolve, reject) => {
      admin.#server.once('error', reject);
      admin.#server.listen(options.port, options.address, () => {
        admin.#server.off('error', reject);
        resolve();
      });
    });
    return admin;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get address(): string {
    return (this.#server.address() as AddressInfo).address;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://admin');
    const head = request.method === 'HEAD';
    const method = head ? 'GET' : request.method;
    request.resume();
    const endpoint = this.#endpoints.get(url.pathname);
    if (!endpoint) {
      if (url.pathname === '/' && this.#options.helpPage) return send(response, this.#help(), head);
      return send(response, textReply(`unknown admin path ${url.pathname}\n${this.#help().body}`, 404), head);
    }
    if (method !== 'GET' && method !== 'POST') return refuseMethod(response, endpoint.methods, head);
    if (!endpoint.methods.includes(method)) return refuseMethod(response, endpoint.methods, head);
    if (method === 'POST' && !sameOrigin(request))
      return send(response, textReply('cross-origin admin request refused', 403), false);
    send(response, await endpoint.handle({ method, query: url.searchParams }), head);
  }

  #help(): AdminResponse {
    const lines = [...this.#endpoints.values()].map(
      (endpoint) =>
        `  ${endpoint.path}${endpoint.methods.includes('GET') ? '' : ' (POST)'}: ${endpoint.help}`,
    );
    return textReply(`admin commands are:\n${lines.join('\n')}`);
  }
}

/**
 * Browsers send Origin on cross-site POSTs; tools (curl, the CLI) send none. An Origin is accepted only when it
 * is this very server on a loopback or its own address, which also defeats DNS rebinding (evil.example →
 * 127.0.0.1 keeps Origin evil.example).
 */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const { host, hostname } = new URL(origin);
    const local = request.socket.localAddress ?? '';
    const bare = hostname.replace(/^\[(.*)\]$/, '$1');
    const trusted = bare === 'localhost' || isLoopback(bare) || bare === local.replace(/^::ffff:/, '');
    return trusted && host === request.headers.host;
  } catch {
    return false;
  }
}

function isLoopback(address: string): boolean {
  return isIP(address) === 4 ? address.startsWith('127.') : address === '::1';
}

function refuseMethod(response: ServerResponse, methods: readonly AdminMethod[], head: boolean): void {
  response.setHeader('allow', methods.includes('GET') ? [...methods, 'HEAD'].join(', ') : methods.join(', '));
  const needs = methods.includes('GET') ? methods.join(' or ') : 'POST';
  send(response, textReply(`method not allowed: this endpoint takes ${needs}`, 405), head);
}

function send(response: ServerResponse, reply: AdminResponse, head: boolean): void {
  response.statusCode = reply.status;
  response.setHeader('content-type', reply.contentType);
  response.setHeader('content-length', Buffer.byteLength(reply.body));
  response.setHeader('cache-control', 'no-cache, max-age=0');
  response.setHeader('x-content-type-options', 'nosniff');
  response.end(head ? undefined : reply.body);
}
