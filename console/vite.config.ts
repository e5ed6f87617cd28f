import { fileURLToPath } from 'node:url';
import { defineConfig, type InlineConfig } from 'vite';

/**
 * Three bundles, all served by the hub itself (no CDN, no request leaves it):
 * the steward console at /console, the citizen's page at /me (its own bundle:
 * a citizen's browser loads nothing of the console), and GraphiQL at /graphiql
 * (development only, so it is a separate bundle that production never serves).
 * The console and /me share console/src (i18n, the API client, components).
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const dist = fileURLToPath(new URL('./dist', import.meta.url));

const shared: InlineConfig = {
  configFile: false,
  logLevel: 'warn',
  // JSX through esbuild's automatic runtime: no Babel plugin needed.
  esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
  build: {
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      // React Server Components' "use client" markers mean nothing in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
};

export const consoleConfig: InlineConfig = {
  ...shared,
  root: here,
  base: '/console/',
  build: { ...shared.build, outDir: `${dist}/console`, emptyOutDir: true },
  // `npx vite console` (then http://localhost:5173/console/) for front-end work: the hub (npm start) answers /graphql.
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
  // GraphiQL under console/graphiql is its own bundle: keep it out of the console's dependency scan.
  optimizeDeps: { entries: ['index.html'] },
};

export const meConfig: InlineConfig = {
  ...shared,
  root: `${here}me`,
  base: '/me/',
  build: { ...shared.build, outDir: `${dist}/me`, emptyOutDir: true },
  // `npx vite --config console/vite.config.ts --mode me` (then http://localhost:5173/me/) for front-end work: the hub (npm start) answers /graphql.
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
  optimizeDeps: { entries: ['index.html'] },
};

export const graphiqlConfig: InlineConfig = {
  ...shared,
  root: `${here}graphiql`,
  base: '/graphiql/',
  build: { ...shared.build, outDir: `${dist}/graphiql`, emptyOutDir: true },
  worker: { format: 'es' },
};

export default defineConfig(({ mode }) => (mode === 'graphiql' ? graphiqlConfig : mode === 'me' ? meConfig : consoleConfig));
