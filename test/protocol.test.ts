/**
 * GraphQL over HTTP conformance: the graphql-http package's server audits,
 * run against the hub listening on a real socket. Every MUST passes; SHOULD
 * audits that do not are listed here with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { startTestHub, STEWARD, type TestHub } from './setup/hub.js';

/**
 * SHOULD audits the hub does not pass, and why: for a client that accepts
 * only the legacy `application/json`, the spec prefers 200 for a document
 * that fails to parse, validate or coerce its variables. Apollo Server
 * answers 400 there whatever the Accept header, and the hub keeps that: a
 * request that never executed should not look like a success to proxies,
 * logs and rate limits. Clients accepting application/graphql-response+json
 * get exactly what the spec asks for.
 */
const KNOWN_SHOULD_EXCEPTIONS = new Set([
  'SHOULD use 200 status code on document parsing failure when accepting application/json',
  'SHOULD use 200 status code on document validation failure when accepting application/json',
  'SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
]);

let t: TestHub;
let url: string;

beforeAll(async () => {
  t = await startTestHub();
  const address = await t.hub.app.listen({ port: 0, host: '127.0.0.1' });
  url = `${address}/graphql`;
});
afterAll(() => t?.close());

describe('graphql-http server audits', () => {
  // Every request carries the steward's credentials: the audits test the protocol, not authentication.
  const fetchWithAuth: typeof fetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', STEWARD.authorization);
    return fetch(input, { ...init, headers });
  };

  it('passes every MUST audit, and every SHOULD but the documented ones', async () => {
    const results = await Promise.all(serverAudits({ url: () => url, fetchFn: fetchWithAuth }).map(async (audit) => ({ audit, result: await audit.fn() })));
    const failedMust = results.filter(({ audit, result }) => audit.name.startsWith('MUST') && result.status !== 'ok');
    const failedShould = results.filter(({ audit, result }) => audit.name.startsWith('SHOULD') && result.status !== 'ok');
    for (const { audit, result } of failedShould) {
      console.log(`SHOULD not met: ${audit.name} — ${'reason' in result ? result.reason : ''}`);
    }
    expect(failedMust.map(({ audit, result }) => `${audit.name}: ${'reason' in result ? result.reason : ''}`)).toEqual([]);
    expect(failedShould.map(({ audit }) => audit.name).filter((name) => !KNOWN_SHOULD_EXCEPTIONS.has(name))).toEqual([]);
    console.log(`graphql-http audits: ${results.filter((r) => r.result.status === 'ok').length} ok, ${failedShould.length} SHOULD not met (documented), of ${results.length}`);
  });
});
