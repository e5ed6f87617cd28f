import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * The browser tests drive Debian's Chromium. Without it, `npm test` still
 * passes on a fresh machine and says so in one line; CI (CI=1) installs
 * Chromium and requires them, so there a missing browser fails the run.
 */
const CHROMIUM = '/usr/bin/chromium';
const skipBrowser = !existsSync(CHROMIUM) && !process.env.CI;
if (skipBrowser) console.log(`Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium to run them; CI requires them).`);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for Apollo and graphql-tools; Vite would pick the .mjs build
    // for our sources, and graphql-js refuses types from "another realm". One build for everyone.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: skipBrowser ? ['test/browser/console.test.ts', 'node_modules/**'] : ['node_modules/**'],
    globalSetup: ['test/setup/global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test/artifacts/vitest.json' }]] : ['default'],
  },
});
