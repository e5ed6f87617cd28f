/**
 * How the hub serves its pages (SPEC §2, §1): the console and the citizen's
 * page always, GraphiQL only outside production, each from its local bundle under a strict
 * Content-Security-Policy.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerConsole } from '../../src/console/routes.js';
import { buildConsole, staleBundles } from '../../console/build.js';

let app: FastifyInstance | undefined;

beforeAll(async () => {
  const stale = staleBundles();
  if (stale.length > 0) await buildConsole(stale);
}, 240_000);
afterEach(() => app?.close());

async function pages(production: boolean) {
  app = Fastify();
  await registerConsole(app, { production });
  return app;
}

describe('the console and GraphiQL routes', () => {
  it('serve the console at /console with its hashed assets, locked to this origin', async () => {
    const hub = await pages(true);
    const page = await hub.inject({ url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    const script = page.body.match(/src="(\/console\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await hub.inject({ url: script! });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await hub.inject({ url: '/console/assets/../../../package.json' })).statusCode).toBe(404);
  });

  it('serve the citizen’s page at /me, in production too, under the console’s policy', async () => {
    const hub = await pages(true);
    const page = await hub.inject({ url: '/me' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe((await hub.inject({ url: '/console' })).headers['content-security-policy']);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = page.body.match(/src="(\/me\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    expect((await hub.inject({ url: script! })).statusCode).toBe(200);
    // Its own bundle: nothing of the console's.
    expect(page.body).not.toContain('/console/assets/');
  });

  it('serve no GraphiQL in production, and GraphiQL with its workers otherwise', async () => {
    const production = await pages(true);
    expect((await production.inject({ url: '/graphiql' })).statusCode).toBe(404);
    await production.close();

    const development = await pages(false);
    const page = await development.inject({ url: '/graphiql' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/graphiql/assets/');
    const worker = readdirSync(fileURLToPath(new URL('../../console/dist/graphiql/assets/', import.meta.url))).find((f) => f.startsWith('graphql.worker'));
    expect((await development.inject({ url: `/graphiql/assets/${worker}` })).statusCode).toBe(200);
  });
});
