// A typed client of the control plane's HTTP API: config apply/delete/list/get and the debug endpoints.
import type { TextSource } from '@heddle/api';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import type {
  ApplyBody,
  ConfigDump,
  DeleteBody,
  ErrorBody,
  ListResult,
  ProxyStatus,
  Refusal,
  ResourceKey,
  StoredResource,
} from './api-types.ts';
import { describeRequestFailure } from './describe-request-failure.ts';
import { sendHttpRequest, type HttpResponse } from './http-request.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface Call {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** YAML text, sent as application/yaml. */
  readonly yaml?: string;
}

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

export class ControlPlaneClient {
  /** The base URL, as printed in messages. */
  readonly url: string;
  readonly #timeoutMs: number;

  constructor(url: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS) {
    this.url = url;
    this.#timeoutMs = timeoutMs;
  }

  /** Validates and stores one source atomically, or refuses it whole. */
  async apply(source: TextSource, namespace?: string): Promise<ApplyBody | Refusal> {
    return this.#writeYaml('/apis/v1/apply', source, namespace) as Promise<ApplyBody | Refusal>;
  }

  /** Deletes what one source names; refused only when the source cannot be parsed. */
  async deleteYaml(source: TextSource, namespace?: string): Promise<DeleteBody | Refusal> {
    return this.#writeYaml('/apis/v1/delete', source, namespace) as Promise<DeleteBody | Refusal>;
  }

  async list(filter: { readonly kind?: string; readonly namespace?: string }): Promise<ListResult> {
    const answer = await this.#call({ method: 'GET', path: '/apis/v1/resources', query: filter });
    if (answer.status !== 200 || !hasArray(answer.json, 'items')) throw this.#unexpected(answer);
    return answer.json as ListResult;
  }

  /** The stored resource, or undefined when it does not exist. */
  async get(key: ResourceKey): Promise<StoredResource | undefined> {
    const answer = await this.#call({ method: 'GET', path: resourcePath(key) });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200 || !isObject(answer.json)) throw this.#unexpected(answer);
    return answer.json as StoredResource;
  }

  /** True when the resource existed and was deleted, false when it did not exist. */
  async deleteResource(key: ResourceKey): Promise<boolean> {
    const answer = await this.#call({ method: 'DELETE', path: resourcePath(key) });
    if (answer.status === 404) return false;
    if (answer.status !== 200) throw this.#unexpected(answer);
    return true;
  }

  async proxyStatuses(): Promise<readonly ProxyStatus[]> {
    const answer = await this.#call({ method: 'GET', path: '/debug/syncz' });
    if (answer.status !== 200 || !Array.isArray(answer.json)) throw this.#unexpected(answer);
    return answer.json as ProxyStatus[];
  }

  /** What the control plane last sent to the proxy, or undefined when no such proxy is connected. */
  async configDump(proxyId: string): Promise<ConfigDump | undefined> {
    const answer = await this.#call({
      method: 'GET',
      path: '/debug/config_dump',
      query: { proxyID: proxyId },
    });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200 || !hasArray(answer.json, 'configs')) throw this.#unexpected(answer);
    return answer.json as ConfigDump;
  }

  async #writeYaml(path: string, source: TextSource, namespace?: string): Promise<unknown> {
    const answer = await this.#call({
      method: 'POST',
      path,
      query: { file: source.name, namespace },
      yaml: source.text,
    });
    if (answer.status === 200 && isObject(answer.json)) return answer.json;
    if (answer.status === 422 && hasArray(answer.json, 'findings')) {
      const body = answer.json as ErrorBody;
      return { refused: true, message: body.message ?? 'refused', findings: body.findings ?? [] };
    }
    throw this.#unexpected(answer);
  }

  async #call(call: Call): Promise<Answer> {
    const url = new URL(`${this.url}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    let response: HttpResponse;
    try {
      response = await sendHttpRequest({
        method: call.method,
        url,
        timeoutMs: this.#timeoutMs,
        ...(call.yaml !== undefined
          ? { body: call.yaml, headers: { 'content-type': 'application/yaml; charset=utf-8' } }
          : {}),
      });
    } catch (error) {
      throw new CliError(describeRequestFailure(error, this.url, this.#timeoutMs), EXIT_CODES.UNAVAILABLE);
    }
    if (response.status === 503) {
      throw new CliError(
        `the control plane at ${this.url} is not ready (starting or stopping); try again`,
        EXIT_CODES.UNAVAILABLE,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(response.body) as unknown;
    } catch {
      throw new CliError(
        `${this.url} answered ${call.method} ${call.path} with ${response.status} and a body that is not JSON; is it a Heddle control plane?`,
        EXIT_CODES.PROTOCOL,
      );
    }
    return { status: response.status, json };
  }

  #unexpected(answer: Answer): CliError {
    const body = (isObject(answer.json) ? answer.json : {}) as ErrorBody;
    const detail = [body.code, body.message].filter((part) => part !== undefined).join(': ');
    return new CliError(
      `the control plane at ${this.url} answered ${answer.status}${detail ? ` (${detail})` : ''}`,
      EXIT_CODES.PROTOCOL,
    );
  }
}

export function isRefusal(body: object): body is Refusal {
  return 'refused' in body && body.refused === true;
}

function resourcePath(key: ResourceKey): string {
  const segments = [key.kind, key.namespace, key.name].map(encodeURIComponent);
  return `/apis/v1/resources/${segments.join('/')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasArray(value: unknown, key: string): boolean {
  return isObject(value) && Array.isArray(value[key]);
}
