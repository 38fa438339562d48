// One admin endpoint: its path, the methods it answers, and a handler producing a small text or JSON reply.

export type AdminMethod = 'GET' | 'POST';

export interface AdminRequest {
  readonly method: AdminMethod;
  readonly query: URLSearchParams;
}

export interface AdminResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface AdminEndpoint {
  readonly path: string;
  readonly help: string;
  /** Endpoints that change state take POST only, so a stray GET (a browser, a crawler) cannot. */
  readonly methods: readonly AdminMethod[];
  handle(request: AdminRequest): AdminResponse | Promise<AdminResponse>;
}

export function textReply(body: string, status = 200): AdminResponse {
  return {
    status,
    contentType: 'text/plain; charset=UTF-8',
    body: body.endsWith('\n') || body === '' ? body : `${body}\n`,
  };
}

export function jsonReply(value: unknown, status = 200): AdminResponse {
  return { status, contentType: 'application/json', body: `${JSON.stringify(value, null, 2)}\n` };
}

/** `?flag` and `?flag=true` are set; absent or `=false` are not (Envoy's boolean query parameters). */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && value !== 'false' && value !== '0';
}
