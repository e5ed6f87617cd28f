/**
 * The two ways a client sends an operation (SPEC §8, issue 13): `ad hoc`, its
 * text in the body, and `registered`, its text registered for the caller's
 * consumer from a persisted-query manifest and then sent by SHA-256 alone.
 * Access control, audit, masking, limits and errors are one implementation
 * for both, so the access, audit and fuzz suites run every request both ways
 * (`describe.each(MODES)`) with the same assertions.
 */
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { STEWARD, type GraphQLResponse, type TestHub } from './hub.js';

export const MODES = ['ad hoc', 'registered'] as const;
export type Mode = (typeof MODES)[number];

/** What Apollo computes as `queryHash`, what the audit records as `operationHash`, and the manifest's `id`. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface SentResponse<T = any> extends GraphQLResponse<T> {
  /** How the request went: `hash` only in registered mode, for a caller with a consumer and a registrable text. */
  sentAs: 'text' | 'hash';
}

export interface SendOptions {
  /**
   * What to do in registered mode with a text the hub refuses to register (it
   * does not parse, is invalid, or is over a limit: the hub would refuse it
   * before running anything when sent as text too). By default the test
   * fails, so that no request silently loses its registered run; `'text'`
   * sends it ad hoc instead, with `sentAs: 'text'` to count.
   */
  ifUnregistrable?: 'fail' | 'text';
  /**
   * Registered mode: register for the consumer of these headers instead of
   * the request's own, e.g. to send a registered hash with credentials the
   * hub refuses.
   */
  registerFor?: Record<string, string>;
}

export interface ModeHub extends Omit<TestHub, 'graphql'> {
  readonly mode: Mode;
  /**
   * Sends an operation the way `mode` says. In registered mode: registers the
   * text for the caller's consumer on first use (once per consumer and hash,
   * through this hub instance, so its policy has it before the request),
   * then POSTs `{ operationName, variables, extensions: { persistedQuery } }`
   * with no `query`. A caller without a consumer (the bootstrap key, a
   * steward JWT without a `consumer` claim) has nothing to register for: its
   * requests go as text in both modes.
   */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>, options?: SendOptions): Promise<SentResponse<T>>;
  /**
   * Always the text, in both modes: for requests refused before any
   * operation exists (bad credentials, malformed bodies, parse errors, limits
   * tested by text), which no manifest can hold.
   */
  adHoc: TestHub['graphql'];
  /**
   * Registered mode: registers `queries` for the caller now, in one manifest,
   * and waits until this instance's policy reloads (its own and the one
   * announced by NOTIFY) are over, so that later requests send only
   * themselves: for tests that count statements. Ad hoc: nothing.
   */
  prepare(queries: string[], headers: Record<string, string>): Promise<void>;
  /** The body of the last request `graphql` sent, as JSON. */
  readonly lastBody: Record<string, unknown> | undefined;
  /** How many requests `graphql` sent each way. */
  readonly sent: { text: number; hash: number };
}

const REGISTER = `mutation RegisterForTest($c: ID!, $m: String!) { registerOperations(consumerId: $c, manifest: $m) { hash } }`;

/** A manifest entry as `@apollo/generate-persisted-query-manifest` writes it; the hub judges whether the body is one runnable operation. */
function entryOf(body: string) {
  let operation: OperationDefinitionNode | undefined;
  try {
    operation = parse(body).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    // Does not parse: the hub says so when asked to register it.
  }
  return { id: sha256(body), name: operation?.name?.value ?? null, type: operation?.operation ?? 'query', body };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `t`, sending every request as `mode` says. */
export function inMode(t: TestHub, mode: Mode): ModeHub {
  /** The consumer of each Authorization header (null: none), asked of the hub once. */
  const consumers = new Map<string, Promise<string | null>>();
  /** Per `consumer hash`: null once registered, else the hub's problems with the text. */
  const registrations = new Map<string, Promise<string | null>>();
  const sent = { text: 0, hash: 0 };
  let lastBody: Record<string, unknown> | undefined;

  function consumerOf(headers: Record<string, string>): Promise<string | null> {
    const authorization = headers.authorization ?? '';
    let found = consumers.get(authorization);
    if (!found) {
      found = (async () => {
        const token = authorization.replace(/^Bearer /, '');
        // A JWT names its consumer (a citizen's: the portal that signed them in, whose operations it runs).
        if (token.startsWith('eyJ')) return (decodeJwt(token).consumer as string | undefined) ?? null;
        const me = await t.graphql(`{ me { consumer { id } } }`, {}, { authorization });
        if (me.status !== 200 || !me.body.data) {
          throw new Error(`registered mode: the hub refuses these credentials (${JSON.stringify(me.body.errors)}), so nothing can be registered for them; send this request with adHoc.`);
        }
        return me.body.data.me.consumer?.id ?? null;
      })();
      consumers.set(authorization, found);
    }
    return found;
  }

  /** Registers the bodies not yet registered for `consumerId`, in one manifest; each one's promise settles with its problems or null. */
  function register(consumerId: string, bodies: string[]): Promise<(string | null)[]> {
    const missing = [...new Set(bodies)].filter((b) => !registrations.has(`${consumerId} ${sha256(b)}`));
    if (missing.length > 0) {
      const done = t.graphql(REGISTER, { c: consumerId, m: JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: missing.map(entryOf) }) }, STEWARD);
      for (const body of missing) {
        registrations.set(
          `${consumerId} ${sha256(body)}`,
          done.then((res) => (res.body.errors ? JSON.stringify(res.body.errors.map((e) => e.extensions?.problems ?? e.message)) : null)),
        );
      }
    }
    return Promise.all(bodies.map((b) => registrations.get(`${consumerId} ${sha256(b)}`)!));
  }

  async function post(payload: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResponse> {
    lastBody = payload;
    const res = await t.hub.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
    return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
  }

  return {
    ...t,
    mode,
    adHoc: t.graphql,
    get lastBody() {
      return lastBody;
    },
    sent,
    async graphql(query, variables, headers = {}, options = {}) {
      const asText = async () => {
        sent.text++;
        return { ...(await post({ query, variables }, headers)), sentAs: 'text' as const };
      };
      if (mode === 'ad hoc') return asText();
      const consumerId = await consumerOf(options.registerFor ?? headers);
      if (consumerId === null) return asText();
      const [problems] = await register(consumerId, [query]);
      if (problems !== null) {
        if (options.ifUnregistrable === 'text') return asText();
        throw new Error(`registered mode: the hub refused to register this operation for ${consumerId}: ${problems}\n${query}`);
      }
      sent.hash++;
      const { name } = entryOf(query);
      const res = await post({ operationName: name ?? undefined, variables, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, headers);
      return { ...res, sentAs: 'hash' };
    },
    async prepare(queries, headers) {
      if (mode === 'ad hoc') return;
      const consumerId = await consumerOf(headers);
      if (consumerId === null) return;
      const problems = (await register(consumerId, queries)).filter((p) => p !== null);
      if (problems.length > 0) throw new Error(`registered mode: the hub refused to register for ${consumerId}: ${problems.join('\n')}`);
      // Quiet: no statement on the hub database for 60 ms (the reload announced by NOTIFY arrives within milliseconds).
      const deadline = Date.now() + 2000;
      for (let last = -1, still = 0; still < 3 && Date.now() < deadline; ) {
        await sleep(20);
        const now = t.dbs.hub.stats.statements;
        still = now === last ? still + 1 : 0;
        last = now;
      }
    },
  };
}
