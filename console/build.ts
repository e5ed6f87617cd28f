/**
 * Builds the steward console, the citizen's page (/me) and GraphiQL into console/dist. `npm install`
 * runs it through `prepare`; `npm start` (prestart) and the browser tests run
 * it with --if-stale, which rebuilds only a bundle that is missing, older
 * than its sources, or built with other versions of its packages.
 *   tsx console/build.ts              build every bundle
 *   tsx console/build.ts --if-stale   build only what is missing or out of date
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';
import { consoleConfig, graphiqlConfig, meConfig } from './vite.config.js';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface Bundle {
  config: InlineConfig;
  index: string;
  /** Records which versions of `packages` the bundle was built with. */
  stamp: string;
  sources: string[];
  /** The packages that end up in the bundle, or build it. */
  packages: string[];
}
const BUNDLES: Record<'console' | 'me' | 'graphiql', Bundle> = {
  console: {
    config: consoleConfig,
    index: at('./dist/console/index.html'),
    stamp: at('./dist/console/build-stamp.txt'),
    sources: [at('./index.html'), at('./src'), at('./vite.config.ts')],
    packages: ['vite', 'react', 'react-dom', 'chart.js', 'i18next', 'react-i18next', 'i18next-browser-languagedetector'],
  },
  me: {
    config: meConfig,
    index: at('./dist/me/index.html'),
    stamp: at('./dist/me/build-stamp.txt'),
    sources: [at('./me'), at('./src'), at('./vite.config.ts')],
    packages: ['vite', 'react', 'react-dom', 'i18next', 'react-i18next', 'i18next-browser-languagedetector'],
  },
  graphiql: {
    config: graphiqlConfig,
    index: at('./dist/graphiql/index.html'),
    stamp: at('./dist/graphiql/build-stamp.txt'),
    sources: [at('./graphiql'), at('./vite.config.ts')],
    packages: ['vite', 'react', 'react-dom', 'graphql', 'graphiql', '@graphiql/react', '@graphiql/toolkit', 'monaco-editor', 'monaco-graphql'],
  },
};

/** The installed versions of a bundle's packages (from package-lock.json), as one line. */
function versionsOf(bundle: Bundle): string {
  const lock = at('../package-lock.json');
  const installed = existsSync(lock) ? (JSON.parse(readFileSync(lock, 'utf8')).packages ?? {}) : {};
  return bundle.packages.map((name) => `${name}@${installed[`node_modules/${name}`]?.version ?? '?'}`).join(' ');
}

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** The bundles that are missing, older than a source file, or built with other dependencies. */
export function staleBundles(): (keyof typeof BUNDLES)[] {
  return (Object.keys(BUNDLES) as (keyof typeof BUNDLES)[]).filter((name) => {
    const { index, stamp, sources } = BUNDLES[name];
    if (!existsSync(index) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== versionsOf(BUNDLES[name])) return true;
    const built = statSync(index).mtimeMs;
    return sources.some((source) => existsSync(source) && newestChange(source) > built);
  });
}

export async function buildConsole(names: (keyof typeof BUNDLES)[] = ['console', 'me', 'graphiql']): Promise<void> {
  for (const name of names) {
    const started = Date.now();
    await build(BUNDLES[name].config);
    writeFileSync(BUNDLES[name].stamp, versionsOf(BUNDLES[name]));
    console.log(`console: built ${name} into console/dist/${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.includes('--if-stale') ? staleBundles() : undefined;
  try {
    if (!names || names.length > 0) await buildConsole(names);
  } catch (error) {
    console.error('console: build failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
