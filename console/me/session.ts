/**
 * The citizen's sign-in on /me: a citizen JWT (SPEC §3: role citizen, sub the
 * national ID, consumer a portal), kept in this tab's session storage and sent
 * only to this hub, as the bearer token of /graphql.
 */
import { graphql, type ApiResult } from '../src/api.js';

const TOKEN = 'oncegraph.citizenToken';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN, token);
  else sessionStorage.removeItem(TOKEN);
}

/**
 * The portal's hand-over: `/me#token=<jwt>`. Read once, kept in session
 * storage, and removed from the address at once (history.replaceState), so it
 * stays out of the history, bookmarks and anything copied from the address
 * bar. A fragment never reaches a server, so no log holds it either.
 */
export function takeTokenFromAddress(): boolean {
  const match = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
  if (!match) return false;
  const token = decodeURIComponent(match[1]).trim();
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  if (token) storeToken(token);
  return token.length > 0;
}

let onUnauthenticated: () => void = () => {};
/** Called when the hub refuses the stored token (expired, or signed with another key). */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

/** One operation as the signed-in citizen. A 401 signs out (with a sentence), whatever screen asked. */
export async function ask<T>(query: string, variables: Record<string, unknown> = {}, token = storedToken()): Promise<ApiResult<T>> {
  const result = await graphql<T>(query, variables, token);
  if (result.status === 401 && token !== null && token === storedToken()) onUnauthenticated();
  return result;
}
