// The dashboard's client of the control plane's HTTP API, and the shapes it returns.
export { ApiError, CLIENT_ERROR_CODES, isApiError } from './api-error.ts';
export type { RequestOptions } from './get-json.ts';
export * from './dashboard-client.ts';
export type * from './control-plane-types.ts';
