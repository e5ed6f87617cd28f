/**
 * The console's only way to the hub: the public GraphQL API at /graphql,
 * with the steward's API key as the bearer token (SPEC §3).
 */

const KEY_STORAGE = 'oncegraph.stewardKey';

export interface ApiProblem {
  argument: string;
  message: string;
}

export interface ApiError {
  /** The hub's message: English, for developers (the console puts a sentence in the page's language beside it, by code). */
  message: string;
  /** Written by the console itself, already in the page's language. */
  local?: boolean;
  path?: (string | number)[];
  extensions?: { code?: string; argument?: string; problems?: ApiProblem[]; [key: string]: unknown };
}

export interface ApiResult<T> {
  data: T | null;
  errors: ApiError[];
  status: number;
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/** Called when the hub refuses the stored key (revoked, or the hub's data was reset). */
let onUnauthenticated: (message: string) => void = () => {};
export function whenUnauthenticated(handler: (message: string) => void): void {
  onUnauthenticated = handler;
}

/**
 * POSTs one operation. Never throws: network failures and refusals come back
 * as errors, so every screen shows the API's own message.
 */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}, key = storedKey()): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      // Apollo's CSRF protection requires a JSON content type.
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    return { data: null, errors: [{ message: `fetch /graphql failed: ${error instanceof Error ? error.message : String(error)}`, extensions: { code: 'NETWORK' } }], status: 0 };
  }
  let body: { data?: T | null; errors?: ApiError[] };
  try {
    body = await response.json();
  } catch {
    return { data: null, errors: [{ message: `HTTP ${response.status} without a GraphQL result`, extensions: { code: 'HTTP' } }], status: response.status };
  }
  const errors = body.errors ?? [];
  if (response.status === 401 && key === storedKey()) onUnauthenticated(errors[0]?.message ?? 'The hub refused the key.');
  return { data: body.data ?? null, errors, status: response.status };
}
