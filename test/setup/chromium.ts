/**
 * Where the browser tests find a Chromium: the first of `CHROMIUM_PATH`,
 * the distribution's package (Debian's `/usr/bin/chromium`), and a browser
 * Playwright downloaded into its cache (`PLAYWRIGHT_BROWSERS_PATH`, or
 * `~/.cache/ms-playwright`). Read by vitest.config.ts, which skips the
 * browser tests with one line when there is none (and fails under CI), and
 * by the tests, which launch the same one.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const DISTRIBUTION = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Executables inside Playwright's cache, newest revision first (`chromium-1187/chrome-linux/chrome`, the headless shell after). */
function inPlaywrightCache(): string[] {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(homedir(), '.cache', 'ms-playwright');
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const revision = (name: string) => Number(name.split('-').pop()) || 0;
  const found: string[] = [];
  for (const prefix of ['chromium-', 'chromium_headless_shell-']) {
    for (const dir of entries.filter((e) => e.startsWith(prefix)).sort((a, b) => revision(b) - revision(a))) {
      for (const exe of ['chrome-linux/chrome', 'chrome-linux64/chrome', 'chrome-linux/headless_shell', 'chrome-headless-shell-linux64/chrome-headless-shell']) {
        found.push(path.join(root, dir, exe));
      }
    }
  }
  return found;
}

export interface ChromiumLookup {
  /** The executable to launch, or undefined when there is none. */
  path?: string;
  /** Where it looked, for the message that says how to enable the tests. */
  looked: string[];
}

export function findChromium(): ChromiumLookup {
  const configured = process.env.CHROMIUM_PATH;
  // An explicit path is taken as meant: if it is wrong, say so rather than quietly using another browser.
  if (configured) return { path: existsSync(configured) ? configured : undefined, looked: [`CHROMIUM_PATH=${configured}`] };
  const candidates = [...DISTRIBUTION, ...inPlaywrightCache()];
  return { path: candidates.find((candidate) => existsSync(candidate)), looked: [...DISTRIBUTION, 'the Playwright browser cache'] };
}

/** One line saying how to enable the browser tests. */
export function howToEnable(lookup: ChromiumLookup): string {
  return `no Chromium found (looked at ${lookup.looked.join(', ')}); install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH to run them`;
}
