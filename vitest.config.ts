import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { findChromium, howToEnable } from './test/setup/chromium.js';

const require = createRequire(import.meta.url);

/**
 * The browser tests (test/browser/*.browser.test.ts) drive a real Chromium.
 * Without one, `npm test` still passes on a fresh machine and says so in one
 * line; under CI (CI set) a missing browser is a failure: the tests run and
 * say what is missing.
 */
const chromiumLookup = findChromium();
const skipBrowser = !chromiumLookup.path && !process.env.CI;
if (skipBrowser) console.log(`Browser tests skipped: ${howToEnable(chromiumLookup)}.`);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for Apollo and graphql-tools; Vite would pick the .mjs build
    // for our sources, and graphql-js refuses types from "another realm". One build for everyone.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: skipBrowser ? ['test/browser/console.test.ts', 'test/browser/**/*.browser.test.ts', 'node_modules/**'] : ['node_modules/**'],
    globalSetup: ['test/setup/global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test/artifacts/vitest.json' }]] : ['default'],
  },
});
