/**
 * The hub's web pages (SPEC §2): the data steward's console at /console, the
 * citizen's page at /me and, outside production, GraphiQL at /graphiql. Each is a bundle built by Vite
 * into console/dist (`npm run build:console`; `npm install` and `npm start`
 * build them) and served from here: no CDN, no request leaves the hub.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

const DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

/**
 * Content-Security-Policy per page: everything from this origin only. GraphiQL's
 * editor (Monaco) injects style elements and runs web workers, so it needs a
 * little more than the console.
 */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const CSP = {
  console: PAGE_CSP,
  // The citizen's page: the console's policy (its token arrives in the URL fragment, which no request carries).
  me: PAGE_CSP,
  graphiql:
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
} as const;

type Bundle = keyof typeof CSP;

export async function registerConsole(app: FastifyInstance, { production }: { production: boolean }): Promise<void> {
  await app.register(async (scope) => servePage(scope, 'console'));
  await app.register(async (scope) => servePage(scope, 'me'));
  // SPEC §1: no GraphiQL in production.
  if (!production) await app.register(async (scope) => servePage(scope, 'graphiql'));
}

/** `/<bundle>` (and `/<bundle>/`) answer its index.html; `/<bundle>/assets/*` its hashed, immutable assets. */
async function servePage(scope: FastifyInstance, bundle: Bundle): Promise<void> {
  const root = `${DIST}${bundle}/`;
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CSP[bundle]);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });

  const index = async (_request: unknown, reply: FastifyReply) => {
    let html: string;
    try {
      html = await readFile(`${root}index.html`, 'utf8');
    } catch {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="en"><title>Not built</title><p>The ${bundle === 'me' ? 'citizen’s page' : bundle} is not built. Run <code>npm run build:console</code> (npm install and npm start run it), then reload.</p></html>`);
    }
    // The page is tiny and names the current assets: always revalidate it.
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };
  scope.get(`/${bundle}`, index);
  scope.get(`/${bundle}/`, index);

  const assets = `${root}assets/`;
  if (existsSync(assets)) {
    await scope.register(fastifyStatic, {
      root: assets,
      prefix: `/${bundle}/assets/`,
      decorateReply: false,
      index: false,
      list: false,
      // File names carry a content hash (Vite): a changed file has a new name.
      immutable: true,
      maxAge: '365d',
    });
  }
}
